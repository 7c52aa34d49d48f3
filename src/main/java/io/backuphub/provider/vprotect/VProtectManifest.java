package io.backuphub.provider.vprotect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backuphub.fanout.storage.CopySteps;
import org.apache.camel.Exchange;

/**
 * The vProtect side of a copy: the backup's details ({@code GET /backups/{guid}}) written as the record
 * {@code backup-<guid>.json}. vProtect's API has no download of the backup files themselves.
 */
public class VProtectManifest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void toContent(Exchange exchange) throws JsonProcessingException {
        byte[] content = JSON.writeValueAsBytes(exchange.getMessage().getBody(JsonNode.class));
        exchange.getMessage().setBody(content);
        exchange.setProperty(CopySteps.DECLARED_SIZE, (long) content.length);
    }
}
