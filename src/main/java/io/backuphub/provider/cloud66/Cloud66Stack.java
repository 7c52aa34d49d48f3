package io.backuphub.provider.cloud66;

import com.fasterxml.jackson.databind.JsonNode;

/** The stack a backup belongs to: its UID keys every backup path. */
public record Cloud66Stack(String uid, String name) {

    /** Reads a stack object of {@code GET /stacks}; a stack without a UID cannot be polled. */
    public static Cloud66Stack from(JsonNode stack) {
        String uid = stack.path("uid").asText("");
        if (uid.isBlank()) {
            throw new IllegalArgumentException("cloud66 sent a stack without a uid: " + stack);
        }
        return new Cloud66Stack(uid, stack.path("name").asText(uid));
    }
}
