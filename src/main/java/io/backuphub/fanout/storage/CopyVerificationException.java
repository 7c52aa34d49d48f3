package io.backuphub.fanout.storage;

/** A written copy that does not match what was read from the source (size or hash), or a source that lied. */
public class CopyVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CopyVerificationException(String message) {
        super(message);
    }
}
