package io.backuphub.fanout.storage;

import java.util.List;

import org.apache.camel.ProducerTemplate;

/**
 * The operator's view of copies that failed after every redelivery ({@code deadLetters} in the registry):
 * list them, and replay them now. Dead letters are also retried on every schedule of {@code fanout-storage}.
 */
public class DeadLetters {

    /** The run of the fan-out that a replay starts (the schedule's own route). */
    public static final String RUN = "direct:fanout-storage-run";

    private final CopyQueue queue;
    private final ProducerTemplate producer;

    public DeadLetters(CopyQueue queue, ProducerTemplate producer) {
        this.queue = queue;
        this.producer = producer;
    }

    public List<DeadLetter> list() {
        return queue.deadLetters();
    }

    public int count() {
        return list().size();
    }

    /** Queues every dead letter again and starts a fan-out run in the background; returns how many. */
    public int replay() {
        return started(queue.requeueDead(null));
    }

    /** Queues one dead letter again and starts a fan-out run in the background; 0 if it is not dead. */
    public int replay(long copyId) {
        return started(queue.requeueDead(copyId));
    }

    private int started(int requeued) {
        if (requeued > 0) {
            producer.asyncSendBody(RUN, null);
        }
        return requeued;
    }
}
