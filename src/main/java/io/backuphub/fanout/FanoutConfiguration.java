package io.backuphub.fanout;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.fanout.notify.NotifyChannels;
import io.backuphub.fanout.notify.NotifyEvents;
import io.backuphub.fanout.notify.NotifyMessages;
import io.backuphub.fanout.notify.NotifyOutbox;
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
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.component.aws2.s3.AWS2S3Configuration;
import org.apache.camel.component.mail.MailComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans that routes/fanout-storage.yaml and routes/notify.yaml call, configures the S3 and SMTP
 * components from {@code hub.s3.*} and {@code hub.notify.email.*}, and gives back this node's claims on
 * copies and notification deliveries, so work a crash interrupted resumes on start. Runs after the catalog's configuration.
 */
public class FanoutConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Catalog catalog = context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
        if (catalog == null) {
            throw new IllegalStateException("the fan-out needs the catalog: list io.backuphub.catalog.CatalogConfiguration "
                    + "before io.backuphub.fanout.FanoutConfiguration in camel.main.configuration-classes");
        }
        ObjectMapper json = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        StorageTargets targets = StorageTargets.parse(property(context, "hub.storage.targets"));
        CopyQueue queue = new CopyQueue(catalog, targets, json, clock, property(context, "hub.node-name"),
                Duration.ofSeconds(Long.parseLong(property(context, "hub.fanout.lease-seconds"))));
        NotifyChannels channels = NotifyChannels.fromProperties(key -> property(context, key));
        NotifyEvents events = new NotifyEvents(catalog, queue, channels, json, clock,
                Duration.ofMillis(Long.parseLong(property(context, "hub.notify.batch-window-ms"))));
        NotifyOutbox outbox = new NotifyOutbox(catalog, channels, json, clock, property(context, "hub.node-name"),
                Duration.ofSeconds(Long.parseLong(property(context, "hub.notify.lease-seconds"))),
                Integer.parseInt(property(context, "hub.notify.batch-max")),
                Duration.ofMillis(Long.parseLong(property(context, "hub.notify.redelivery-delay-ms"))),
                Duration.ofMillis(Long.parseLong(property(context, "hub.notify.max-redelivery-delay-ms"))));
        FileTarget files = new FileTarget();
        CopiesInFlight inFlight = new CopiesInFlight(context, queue);

        bind(context, "storageTargets", targets);
        bind(context, "copyQueue", queue);
        bind(context, "fanoutCopies", new CopySteps(queue, targets, files, events, inFlight));
        bind(context, "attemptResult", new AttemptResult());
        bind(context, "s3Target", new S3Target(inFlight));
        DeadLetters deadLetters = new DeadLetters(queue, context.createProducerTemplate());
        bind(context, "deadLetters", deadLetters);
        // what operations count and replay (JMX, metrics) beside the provider items the hub could not ingest
        bind(context, "copyDeadLetters", new CopyDeadLetters(queue, deadLetters));
        bind(context, "notifyEvents", events);
        bind(context, "notifyChannels", channels);
        bind(context, "notifyOutbox", outbox);
        bind(context, "notifyMessages", new NotifyMessages());
        bind(context, "webhookSigner", new WebhookSigner(property(context, "hub.notify.webhook.secret")));
        bind(context, "staleInstances", new StaleInstances(catalog, events, clock));

        if (targets.all().stream().anyMatch(t -> t.kind() == StorageTarget.Kind.S3)) {
            configureS3(context);
            // readiness of every s3:// target, probed through the same component
            bind(context, "s3StorageProbe", new S3StorageProbe(context));
        }
        configureSmtp(context);
        // stopped before the catalog's pool (services stop in reverse order): copies in flight end cleanly first
        addService(context, inFlight);
        int released = queue.releaseClaims();
        LOG.info("fan-out to {} storage target(s) {}; {} interrupted cop{} resumed", targets.all().size(),
                targets.uris(), released, released == 1 ? "y" : "ies");
        int deliveries = outbox.releaseClaims();
        if (deliveries > 0) {
            LOG.info("{} interrupted notification deliver{} will be sent again", deliveries, deliveries == 1 ? "y" : "ies");
        }
    }

    /** Region, endpoint override (S3-compatible servers) and credentials; no keys = the AWS default chain. */
    private static void configureS3(CamelContext context) {
        AWS2S3Configuration s3 = context.getComponent("aws2-s3", AWS2S3Component.class).getConfiguration();
        s3.setRegion(property(context, "hub.s3.region"));
        String endpoint = property(context, "hub.s3.endpoint");
        if (!endpoint.isBlank()) {
            s3.setOverrideEndpoint(true);
            s3.setUriEndpointOverride(endpoint);
        }
        s3.setForcePathStyle(Boolean.parseBoolean(property(context, "hub.s3.force-path-style")));
        String accessKey = property(context, "hub.s3.access-key");
        if (accessKey.isBlank()) {
            s3.setUseDefaultCredentialsProvider(true);
        } else {
            s3.setAccessKey(accessKey);
            s3.setSecretKey(property(context, "hub.s3.secret-key"));
        }
    }

    /** SMTP login only when a user is set, so the endpoint URI in routes/notify.yaml carries no password. */
    private static void configureSmtp(CamelContext context) {
        String user = property(context, "hub.notify.email.username");
        if (!user.isBlank()) {
            MailComponent smtp = context.getComponent("smtp", MailComponent.class);
            smtp.getConfiguration().setUsername(user);
            smtp.getConfiguration().setPassword(property(context, "hub.notify.email.password"));
        }
    }

    private static String property(CamelContext context, String key) {
        return context.resolvePropertyPlaceholders("{{" + key + ":}}").trim();
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add " + service.getClass().getSimpleName() + " to the context", e);
        }
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }
}
