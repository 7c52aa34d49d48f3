package io.backuphub.provider;

/**
 * A provider sent an item the hub cannot ingest (malformed, unknown enum, missing field). The item is
 * kept in the catalog's rejects with this reason and the sync goes on with the next item.
 */
public class ProviderDataException extends RuntimeException {

    private final String source;
    private final String itemId;
    private final String payload;

    public ProviderDataException(String source, String itemId, String reason, String payload) {
        super(reason);
        this.source = source;
        this.itemId = itemId;
        this.payload = payload;
    }

    public String source() {
        return source;
    }

    public String itemId() {
        return itemId;
    }

    public String payload() {
        return payload;
    }
}
