package io.backuphub.api.model;

/**
 * What went wrong: a stable machine-readable {@code code} ({@code not_found}, {@code invalid_parameter}, ...)
 * and a message for people.
 */
public record ErrorDetail(String code, String message) {
}
