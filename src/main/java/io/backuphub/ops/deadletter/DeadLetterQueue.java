package io.backuphub.ops.deadletter;

/**
 * One kind of work the hub could not do and kept to retry: provider items it could not ingest, copies
 * it could not store. Every bean of this type in the Camel registry is counted in JMX and metrics and
 * replayed by {@code backuphub:type=catalog replayDeadLetters()}.
 */
public interface DeadLetterQueue {

    /** Short name shown to operators, such as {@code ingest-rejects}. */
    String name();

    /** How many are waiting, for one source (null: for every source). */
    long size(String source);

    /** Tries them all again; returns what happened, in one line. */
    String replay();
}
