package io.backuphub.api.model;

/** A group of records of an instance ({@code files}, {@code manifest}). */
public record Endpoint(String name, long backupInstanceId, String description, long recordCount) {
}
