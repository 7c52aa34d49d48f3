package io.backuphub.fanout.storage;

/** A provider download that answered an error; the message names the URL without its signed query. */
public class DownloadFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DownloadFailedException(String message) {
        super(message);
    }
}
