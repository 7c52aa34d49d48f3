package io.backuphub.demo.vprotect;

/** A {@code PUT /backups/{guid}/warnings-acknowledged} the simulator accepted. */
public record WarningAcknowledgement(String backupGuid, boolean value) {
}
