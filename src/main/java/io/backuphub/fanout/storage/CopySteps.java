package io.backuphub.fanout.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

import io.backuphub.fanout.notify.NotifyEvents;
import io.backuphub.provider.ProviderFailures;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one copy that routes/fanout-storage.yaml calls ({@code fanoutCopies} in the registry): set
 * up an attempt, write to a file target, and end the copy as stored or as a dead letter, raising the
 * notification events that follow.
 */
public class CopySteps {

    private static final Logger LOG = LoggerFactory.getLogger(CopySteps.class);

    /** Exchange properties of a copy in flight. */
    public static final String COPY = "hubCopy";
    public static final String TARGET = "hubTarget";
    public static final String TARGET_KIND = "hubTargetKind";
    public static final String DECLARED_SIZE = "hubDeclaredSize";
    public static final String STORED = "hubStored";
    /** Attempts of this run, counted by {@link AttemptResult}. */
    public static final String ATTEMPTS = "hubAttempts";

    /** Any URL's query string in an error text: signatures must not reach a log or the dead-letter table. */
    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?\"']*)\\?[^\\s\"']*");

    private final CopyQueue queue;
    private final StorageTargets targets;
    private final FileTarget files;
    private final NotifyEvents events;

    public CopySteps(CopyQueue queue, StorageTargets targets, FileTarget files, NotifyEvents events) {
        this.queue = queue;
        this.targets = targets;
        this.files = files;
        this.events = events;
    }

    /**
     * Starts an attempt (on a copy of the copy's exchange, see {@link AttemptResult}) from the claimed task
     * alone, so a redelivery starts clean whatever the last attempt left.
     */
    public void begin(Exchange exchange) {
        CopyTask task = exchange.getProperty(COPY, CopyTask.class);
        StorageTarget target = targets.get(task.target());
        exchange.setProperty(TARGET, target);
        exchange.setProperty(TARGET_KIND, target.kind().id());
        exchange.removeProperty(DECLARED_SIZE);
        exchange.removeProperty(STORED);
        exchange.removeProperties("hubS3*");
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(null);
    }

    public void presentInFile(Exchange exchange) throws IOException {
        files.present(target(exchange), task(exchange)).ifPresent(copy -> exchange.setProperty(STORED, copy));
    }

    public void storeInFile(Exchange exchange) throws IOException, InvalidPayloadException {
        InputStream source = exchange.getMessage().getMandatoryBody(InputStream.class);
        exchange.setProperty(STORED, files.store(target(exchange), task(exchange), source, declaredSize(exchange)));
    }

    /** Marks the copy stored; the event {@code backup.stored} when it was the backup's last one, else null. */
    public Map<String, Object> stored(Exchange exchange) {
        CopyTask task = task(exchange);
        StoredCopy copy = exchange.getProperty(STORED, StoredCopy.class);
        boolean backupDone = queue.markStored(task, copy, attempts(exchange));
        LOG.info("{} stored: {} bytes sha256 {}", task.describe(), copy.sizeBytes(), copy.sha256());
        return backupDone ? events.backupStored(task.backupId()) : null;
    }

    /** Makes the copy a dead letter with its reason; the event {@code copy.failed} the first time, else null. */
    public Map<String, Object> dead(Exchange exchange) {
        CopyTask task = task(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reason(task, failure);
        queue.markDead(task, reason, attempts(exchange));
        LOG.warn("{} failed after {} attempt(s): {}", task.describe(), attempts(exchange), reason);
        return events.copyFailed(task, reason);
    }

    /** One line about a failed copy, with no URL query (signatures) in it. */
    static String reason(CopyTask task, Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String text = failure instanceof DownloadRefusedException || failure instanceof DownloadFailedException
                || failure instanceof CopyVerificationException
                ? failure.getMessage()
                : ProviderFailures.describe(task.provider(), failure);
        return URL_QUERY.matcher(text).replaceAll("$1");
    }

    private static int attempts(Exchange exchange) {
        return exchange.getProperty(ATTEMPTS, 1, Integer.class);
    }

    public static CopyTask task(Exchange exchange) {
        return exchange.getProperty(COPY, CopyTask.class);
    }

    public static StorageTarget target(Exchange exchange) {
        return exchange.getProperty(TARGET, StorageTarget.class);
    }

    public static Long declaredSize(Exchange exchange) {
        return exchange.getProperty(DECLARED_SIZE, Long.class);
    }
}
