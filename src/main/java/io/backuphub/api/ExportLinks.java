package io.backuphub.api;

import java.time.Clock;
import java.time.Instant;

/**
 * The signed download link of a completed export: {@code .../exports/{id}/download?expires=<epoch s>&signature=...},
 * an HMAC over path and expiry, so any node verifies it and nobody can extend or move it.
 */
public class ExportLinks {

    private final HmacSigner signer;
    private final Clock clock;

    public ExportLinks(HmacSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    public static String path(long instanceId, long exportId) {
        return "/v1/backup_instances/" + instanceId + "/exports/" + exportId + "/download";
    }

    /** The link of a completed export, or null while it has none. */
    public String url(String base, ExportRow export) {
        if (export.expiresAt() == null || !ExportStatus.COMPLETED.wireName().equals(export.status())) {
            return null;
        }
        return url(base, export.instanceId(), export.id(), export.expiresAt());
    }

    /** A link to a completed export valid until {@code expiresAt}, whatever the export's own link says. */
    public String url(String base, long instanceId, long exportId, Instant expiresAt) {
        String path = path(instanceId, exportId);
        long expires = expiresAt.getEpochSecond();
        return base + path + "?expires=" + expires + "&signature=" + signer.sign(message(path, expires));
    }

    /** Checks a link's expiry and signature; 401 when either is wrong. */
    public void verify(long instanceId, long exportId, String expires, String signature) {
        long expiry;
        try {
            expiry = Long.parseLong(expires == null ? "" : expires.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(401, "invalid_signature", "this download link is not valid");
        }
        if (!signer.verify(message(path(instanceId, exportId), expiry), signature)) {
            throw new ApiException(401, "invalid_signature", "this download link is not valid");
        }
        if (expiry <= clock.instant().getEpochSecond()) {
            throw new ApiException(401, "link_expired", "this download link has expired: "
                    + "POST .../exports/" + exportId + "/reauth issues a new one");
        }
    }

    private static String message(String path, long expires) {
        return "export-download\n" + path + "\n" + expires;
    }
}
