package io.backuphub.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A group of records of an instance ({@code files}, {@code manifest}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Endpoint(String name, long backupInstanceId, String description, long recordCount) {
}
