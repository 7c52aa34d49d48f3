package io.backuphub.export;

/** The export cannot be built, and trying again would not change that: it fails at once with this reason. */
public class ExportFailure extends RuntimeException {

    public ExportFailure(String message) {
        super(message, null, false, false);
    }
}
