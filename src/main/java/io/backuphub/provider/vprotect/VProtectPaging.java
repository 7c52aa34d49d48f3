package io.backuphub.provider.vprotect;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.provider.Connections;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** vProtect's paging: 0-based {@code page} and {@code size}, the total in {@code X-Total-Count}, a bare array. */
public final class VProtectPaging {

    private VProtectPaging() {
    }

    public static List<JsonNode> items(JsonNode page) {
        if (!page.isArray()) {
            throw new IllegalArgumentException("vprotect sent a backups page that is not a JSON array");
        }
        List<JsonNode> items = new ArrayList<>(page.size());
        page.forEach(items::add);
        return items;
    }

    /** The next page number, or null when this page was the last. */
    public static Integer next(JsonNode page, @ExchangeProperty("backupsPage") int current,
                               @Header("X-Total-Count") Long total, Exchange exchange) {
        // the connection's page size (each connection has its own)
        int size = Integer.parseInt(Connections.current(exchange).setting("page-size"));
        int returned = page.size();
        if (total != null) {
            return (long) (current + 1) * size < total && returned > 0 ? current + 1 : null;
        }
        // without a total, a full page means there may be more
        return returned >= size ? current + 1 : null;
    }
}
