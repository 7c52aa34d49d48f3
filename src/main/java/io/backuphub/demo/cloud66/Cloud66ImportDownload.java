package io.backuphub.demo.cloud66;

/**
 * What the simulator fetched for an import, as Cloud66 fetches {@code remote_url}: the HTTP status, the bytes'
 * count and SHA-256 (hex), or why it could not (status 0 when no answer came).
 */
public record Cloud66ImportDownload(String stackUid, String group, String dbType, String remoteUrl, int status,
                                    long sizeBytes, String sha256, String error) {

    public boolean succeeded() {
        return status == 200 && error == null;
    }

    @Override
    public String toString() {
        // the URL is a signed link: kept for tests, never printed
        return "Cloud66ImportDownload[stack=" + stackUid + ", group=" + group + ", status=" + status + ", size="
                + sizeBytes + ", sha256=" + sha256 + ", error=" + error + "]";
    }
}
