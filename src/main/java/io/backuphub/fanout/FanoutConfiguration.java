package io.backuphub.fanout;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.fanout.notify.NotifyChannels;
import io.backuphub.fanout.notify.NotifyEvents;
import io.backuphub.fanout.notify.NotifyMessages;
import io.backuphub.fanout.notify.NotifyOutbox;
import io.backuphub.fanout.notify.SmtpLogin;
import io.backuphub.fanout.notify.StaleInstances;
import io.backuphub.fanout.notify.WebhookSigner;
import io.backuphub.fanout.storage.AttemptResult;
import io.backuphub.fanout.storage.CopiesInFlight;
import io.backuphub.fanout.storage.CopyDeadLetters;
import io.backuphub.fanout.storage.CopyQueue;
import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.DeadLetters;
import io.backuphub.fanout.storage.FileTarget;
import io.backuphub.fanout.storage.S3StorageProbe;
import io.backuphub.fanout.storage.S3Target;
import io.backuphub.fanout.storage.StorageTarget;
import io.backuphub.fanout.storage.StorageTargets;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans that routes/fanout-storage.yaml and routes/notify.yaml call (lazily, as the catalog's beans
 * are), and gives back this node's claims on copies and notification deliveries, so work a crash interrupted
 * resumes on start. The S3 and SMTP components are configured by {@code camel.component.aws2-s3.*} and
 * {@code camel.component.smtp.*} in application.properties, from {@code hub.s3.*} and {@code hub.notify.email.*}.
 */
@Configuration
public class FanoutConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutConfiguration.class);

    @BindToRegistry(value = "storageTargets", lazy = true)
    public StorageTargets storageTargets(@PropertyInject("{{hub.storage.targets:}}") String targets) {
        return StorageTargets.parse(targets.trim());
    }

    @BindToRegistry(value = "copyQueue", lazy = true)
    public CopyQueue copyQueue(@BeanInject("catalog") Catalog catalog,
            @BeanInject("storageTargets") StorageTargets targets,
            @PropertyInject("hub.node-name") String nodeName,
            @PropertyInject("hub.fanout.lease-seconds") long leaseSeconds) {
        return new CopyQueue(catalog, targets, Clock.systemUTC(), nodeName.trim(),
                Duration.ofSeconds(leaseSeconds));
    }

    /**
     * The copies in flight, a service of the context: added after the catalog's pool (made before it, as the
     * copy queue needs the catalog), so it stops first and copies in flight end cleanly before the pool closes.
     */
    @BindToRegistry(value = "copiesInFlight", lazy = true)
    public CopiesInFlight copiesInFlight(CamelContext context, @BeanInject("copyQueue") CopyQueue queue)
            throws Exception {
        CopiesInFlight inFlight = new CopiesInFlight(context, queue);
        context.addService(inFlight, true, true);
        return inFlight;
    }

    @BindToRegistry(value = "fanoutCopies", lazy = true)
    public CopySteps fanoutCopies(@BeanInject("copyQueue") CopyQueue queue,
            @BeanInject("storageTargets") StorageTargets targets,
            @BeanInject("notifyEvents") NotifyEvents events,
            @BeanInject("copiesInFlight") CopiesInFlight inFlight) {
        return new CopySteps(queue, targets, new FileTarget(), events, inFlight);
    }

    /**
     * The threads a copy run copies on ({@code executorService} of its split): at most {@code hub.fanout.copy-threads}
     * copies at once on this node, whatever their targets; made by Camel's executor service manager, so it stops with
     * the context.
     */
    @BindToRegistry(value = "fanoutCopyPool", lazy = true)
    public ExecutorService fanoutCopyPool(CamelContext context, @PropertyInject("hub.fanout.copy-threads") int threads) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "fanout-copy", Math.max(1, threads));
    }

    /**
     * Where route fanout-mark-stored's aggregator marks a group of stored copies: on the thread that completes it (the
     * copy that fills it, the timeout checker, or the run at a batch's end), so a batch's end returns with its copies
     * marked instead of handing them to the aggregator's own thread.
     */
    @BindToRegistry(value = "fanoutMarkOnCompletingThread", lazy = true)
    public ExecutorService fanoutMarkOnCompletingThread() {
        return new SynchronousExecutorService();
    }

    @BindToRegistry(value = "attemptResult", lazy = true)
    public AttemptResult attemptResult() {
        return new AttemptResult();
    }

    @BindToRegistry(value = "s3Target", lazy = true)
    public S3Target s3Target(@BeanInject("copiesInFlight") CopiesInFlight inFlight) {
        return new S3Target(inFlight);
    }

    /**
     * Readiness of every s3:// target, probed through the same component; bound only when there is one. Not lazy:
     * the storage health check finds probes by type, and a lazy bean cannot turn out to be none.
     */
    @BindToRegistry("s3StorageProbe")
    public S3StorageProbe s3StorageProbe(CamelContext context,
            @PropertyInject("{{hub.storage.targets:}}") String targets) {
        boolean s3 = StorageTargets.parse(targets.trim()).all().stream()
                .anyMatch(t -> t.kind() == StorageTarget.Kind.S3);
        return s3 ? new S3StorageProbe(context) : null;
    }

    @BindToRegistry(value = "deadLetters", lazy = true)
    public DeadLetters deadLetters(CamelContext context, @BeanInject("copyQueue") CopyQueue queue) {
        return new DeadLetters(queue, context.createProducerTemplate());
    }

    /** What operations count and replay (JMX, metrics) beside the provider items the hub could not ingest. */
    @BindToRegistry(value = "copyDeadLetters", lazy = true)
    public CopyDeadLetters copyDeadLetters(@BeanInject("copyQueue") CopyQueue queue,
            @BeanInject("deadLetters") DeadLetters deadLetters) {
        return new CopyDeadLetters(queue, deadLetters);
    }

    @BindToRegistry(value = "notifyChannels", lazy = true)
    public NotifyChannels notifyChannels(CamelContext context) {
        return NotifyChannels.fromProperties(key -> context.resolvePropertyPlaceholders("{{" + key + ":}}").trim());
    }

    @BindToRegistry(value = "notifyEvents", lazy = true)
    public NotifyEvents notifyEvents(@BeanInject("catalog") Catalog catalog,
            @BeanInject("copyQueue") CopyQueue queue,
            @BeanInject("notifyChannels") NotifyChannels channels,
            @PropertyInject("hub.notify.batch-window-ms") long batchWindowMillis) {
        return new NotifyEvents(catalog, queue, channels, new ObjectMapper(), Clock.systemUTC(),
                Duration.ofMillis(batchWindowMillis));
    }

    @BindToRegistry(value = "notifyOutbox", lazy = true)
    public NotifyOutbox notifyOutbox(@BeanInject("catalog") Catalog catalog,
            @BeanInject("notifyChannels") NotifyChannels channels,
            @PropertyInject("hub.node-name") String nodeName,
            @PropertyInject("hub.notify.lease-seconds") long leaseSeconds,
            @PropertyInject("hub.notify.batch-max") int batchMax,
            @PropertyInject("hub.notify.redelivery-delay-ms") long redeliveryDelayMillis,
            @PropertyInject("hub.notify.max-redelivery-delay-ms") long maxRedeliveryDelayMillis) {
        return new NotifyOutbox(catalog, channels, Clock.systemUTC(), nodeName.trim(),
                Duration.ofSeconds(leaseSeconds), batchMax, Duration.ofMillis(redeliveryDelayMillis),
                Duration.ofMillis(maxRedeliveryDelayMillis));
    }

    @BindToRegistry(value = "notifyMessages", lazy = true)
    public NotifyMessages notifyMessages() {
        return new NotifyMessages();
    }

    @BindToRegistry(value = "webhookSigner", lazy = true)
    public WebhookSigner webhookSigner(@PropertyInject("{{hub.notify.webhook.secret:}}") String secret) {
        return new WebhookSigner(secret.trim());
    }

    @BindToRegistry(value = "staleInstances", lazy = true)
    public StaleInstances staleInstances(@BeanInject("catalog") Catalog catalog,
            @BeanInject("notifyEvents") NotifyEvents events) {
        return new StaleInstances(catalog, events, Clock.systemUTC());
    }

    /** The email channel's login ({@code camel.component.smtp.authenticator = #smtpLogin}). */
    @BindToRegistry(value = "smtpLogin", lazy = true)
    public SmtpLogin smtpLogin(@PropertyInject("{{hub.notify.email.username:}}") String username,
            @PropertyInject("{{hub.notify.email.password:}}") String password) {
        return new SmtpLogin(username, password);
    }

    /** Claims this node held when it stopped (or crashed) are given back, so their work resumes now. */
    @Override
    public void configure(CamelContext context) {
        CopyQueue queue = context.getRegistry().lookupByNameAndType("copyQueue", CopyQueue.class);
        StorageTargets targets = context.getRegistry().lookupByNameAndType("storageTargets", StorageTargets.class);
        // made now, so its service is in place (and stops before the catalog's pool) whatever copies first
        context.getRegistry().lookupByNameAndType("copiesInFlight", CopiesInFlight.class);
        int released = queue.releaseClaims();
        LOG.info("fan-out to {} storage target(s) {}; {} interrupted cop{} resumed", targets.all().size(),
                targets.uris(), released, released == 1 ? "y" : "ies");
        int deliveries = context.getRegistry().lookupByNameAndType("notifyOutbox", NotifyOutbox.class).releaseClaims();
        if (deliveries > 0) {
            LOG.info("{} interrupted notification deliver{} will be sent again", deliveries, deliveries == 1 ? "y" : "ies");
        }
    }
}
