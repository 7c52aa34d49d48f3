package io.backuphub.export;

/** The export cannot be built yet (records not stored yet): it goes back to queued and is tried again later. */
public class ExportWaiting extends RuntimeException {

    public ExportWaiting(String message) {
        super(message, null, false, false);
    }
}
