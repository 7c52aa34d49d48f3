package io.backuphub.fanout.storage;

import io.backuphub.ops.deadletter.DeadLetterQueue;

/**
 * Failed copies as one of the hub's dead-letter queues ({@code copyDeadLetters} in the registry), so JMX
 * ({@code backuphub:type=catalog}, {@code backuphub:type=source}) and the {@code backuphub_dead_letters} gauge
 * count them and {@code replayDeadLetters()} replays them with the provider items the hub could not ingest.
 */
public class CopyDeadLetters implements DeadLetterQueue {

    public static final String NAME = "copies";

    private final CopyQueue queue;
    private final DeadLetters deadLetters;

    public CopyDeadLetters(CopyQueue queue, DeadLetters deadLetters) {
        this.queue = queue;
        this.deadLetters = deadLetters;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Dead copies of one source's backups (the source is the backup's provider); null: of every source. */
    @Override
    public long size(String source) {
        return queue.deadCount(source);
    }

    /** Queues every dead copy again and starts a fan-out run in the background. */
    @Override
    public String replay() {
        int requeued = deadLetters.replay();
        return requeued == 0 ? "none waiting"
                : requeued + " queued again, fan-out run started (see copies pending)";
    }
}
