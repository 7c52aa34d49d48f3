package io.backuphub.ops.deadletter;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;

/** Every {@link DeadLetterQueue} in the Camel registry, counted and replayed together. */
public final class DeadLetters {

    private final CamelContext context;

    public DeadLetters(CamelContext context) {
        this.context = context;
    }

    public List<DeadLetterQueue> queues() {
        return context.getRegistry().findByType(DeadLetterQueue.class).stream()
                .sorted(Comparator.comparing(DeadLetterQueue::name))
                .toList();
    }

    /** Dead letters of one source (null: of every source), over all queues. */
    public long size(String source) {
        return queues().stream().mapToLong(q -> q.size(source)).sum();
    }

    /** Replays every queue; one line per queue, joined with "; ". */
    public String replay() {
        List<DeadLetterQueue> queues = queues();
        if (queues.isEmpty()) {
            return "no dead-letter queues";
        }
        return queues.stream().map(q -> q.name() + ": " + q.replay()).collect(Collectors.joining("; "));
    }
}
