package io.backuphub.provider.backupify;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.CopyTask;
import io.backuphub.fanout.storage.CopyVerificationException;
import io.backuphub.provider.Fingerprint;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupifyBlobTest {

    private static final String CONTENT = "the bytes of a record";

    @Test
    void theUpstreamHashIsDeclaredToTheTargetAndTheBytesPassThroughUnread() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(CopySteps.COPY, task(null));
        InputStream body = new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("ETag", "\"" + Fingerprint.sha256(CONTENT) + "\"");
        exchange.getMessage().setHeader("Content-Length", (long) CONTENT.length());

        BackupifyBlob.opened(exchange);

        assertEquals(Fingerprint.sha256(CONTENT), exchange.getProperty(CopySteps.DECLARED_SHA256));
        assertEquals((long) CONTENT.length(), exchange.getProperty(CopySteps.DECLARED_SIZE));
        assertSame(body, exchange.getMessage().getBody(), "the target hashes the bytes, once, as it writes them");
    }

    @Test
    void anUpstreamServingAnotherHashThanTheCatalogHoldsIsRefusedBeforeAByteIsRead() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(CopySteps.COPY, task(Fingerprint.sha256(CONTENT)));
        exchange.getMessage().setBody(new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8)));
        exchange.getMessage().setHeader("ETag", "\"" + "0".repeat(64) + "\"");

        CopyVerificationException refused = assertThrows(CopyVerificationException.class,
                () -> BackupifyBlob.opened(exchange));

        assertTrue(refused.getMessage().contains("the upstream now serves sha256 " + "0".repeat(64)), refused.getMessage());
    }

    @Test
    void theHashIsReadFromAnEntityTagOrColumnOnlyWhenItIsOne() {
        String hash = Fingerprint.sha256(CONTENT);
        assertEquals(hash, BackupifyBlob.sha256("\"" + hash + "\""));
        assertEquals(hash, BackupifyBlob.sha256("W/\"" + hash.toUpperCase() + "\""));
        assertNull(BackupifyBlob.sha256("\"abc\""));
        assertNull(BackupifyBlob.sha256(null));
    }

    private static CopyTask task(String recordSha256) {
        return new CopyTask(7, 5, 2, 1, "acme", "backupify", "b-2", "files", "r-5", "record.bin",
                "application/octet-stream", "file:/x", "acme/1/2/record.bin", recordSha256, Map.of(), "saas", 1);
    }
}
