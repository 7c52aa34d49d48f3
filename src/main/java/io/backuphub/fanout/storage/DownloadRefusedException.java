package io.backuphub.fanout.storage;

/** A provider download URL the hub will not follow (scheme or host not allowed); retrying does not help. */
public class DownloadRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DownloadRefusedException(String message) {
        super(message);
    }
}
