package io.backuphub.provider.vprotect;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backuphub.catalog.Catalog;
import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.CopyTask;
import org.apache.camel.Exchange;

/**
 * The vProtect side of a copy: the backup's details (as the detailed listing gave them to the ingest, kept in the
 * catalog; {@code GET /backups/{guid}} for a record ingested before) written as the record {@code backup-<guid>.json}.
 * vProtect's API has no download of the backup files themselves.
 */
public class VProtectManifest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The manifest as the ingest kept it in the catalog (body null when it kept none: a record from before), so a
     * copy asks nothing of vProtect.
     */
    public static void fromCatalog(Exchange exchange) throws JsonProcessingException {
        CopyTask task = exchange.getProperty(CopySteps.COPY, CopyTask.class);
        Catalog catalog = exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
        Optional<String> details = catalog.recordContent(task.recordId());
        if (details.isEmpty()) {
            exchange.getMessage().setBody(null);
            return;
        }
        write(exchange, JSON.readTree(details.get()));
    }

    public void toContent(Exchange exchange) throws JsonProcessingException {
        write(exchange, exchange.getMessage().getBody(JsonNode.class));
    }

    private static void write(Exchange exchange, JsonNode details) throws JsonProcessingException {
        byte[] content = JSON.writeValueAsBytes(details);
        exchange.getMessage().setBody(content);
        exchange.setProperty(CopySteps.DECLARED_SIZE, (long) content.length);
    }
}
