package io.backuphub.catalog;

/** The catalog database failed or refused a write. */
public class CatalogException extends RuntimeException {
    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
