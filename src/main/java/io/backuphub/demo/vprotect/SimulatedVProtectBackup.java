package io.backuphub.demo.vprotect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A vProtect backup (providers.md 2.5). Tests change it between polls; every method is
 * thread-safe, and the JSON is always rendered from one consistent state.
 */
public final class SimulatedVProtectBackup {

    private final String guid;
    private final ProtectedEntity entity;
    private final long snapshotTime;
    private final String parentGuid;
    private String status;
    private String type;
    private Long backupTime;
    private long size;
    private String statusInfo;
    private List<String> warnings = List.of();
    private boolean warningsAcknowledged;
    private boolean hidden;
    private String description = "";
    private List<BackupFile> backupFiles = List.of();
    private String backupDestination = "Primary filesystem destination";
    private String policy;

    SimulatedVProtectBackup(ProtectedEntity entity, String guid, String status, String type, Instant snapshotTime, long size,
                   String parentGuid) {
        this.entity = Objects.requireNonNull(entity);
        this.guid = Objects.requireNonNull(guid);
        this.type = VProtectEnums.require(VProtectEnums.TYPE, "backup type", type);
        this.snapshotTime = snapshotTime.toEpochMilli();
        this.size = size;
        this.parentGuid = parentGuid;
        this.policy = "Default " + entity.type() + " policy";
        applyStatus(VProtectEnums.require(VProtectEnums.STATUS, "backup status", status),
                // finished backups get a plausible end time a few minutes after the snapshot
                this.snapshotTime + Duration.ofMinutes(3).toMillis() + size / 100_000);
    }

    public String guid() {
        return guid;
    }

    public ProtectedEntity protectedEntity() {
        return entity;
    }

    public long snapshotTime() {
        return snapshotTime;
    }

    public synchronized String status() {
        return status;
    }

    public synchronized String type() {
        return type;
    }

    public synchronized long size() {
        return size;
    }

    /** When the backup finished (epoch ms), or null while it runs. */
    public synchronized Long backupTime() {
        return backupTime;
    }

    public synchronized boolean hidden() {
        return hidden;
    }

    public synchronized boolean warningsAcknowledged() {
        return warningsAcknowledged;
    }

    public synchronized List<String> warnings() {
        return warnings;
    }

    public synchronized List<BackupFile> backupFiles() {
        return backupFiles;
    }

    /**
     * Moves to another status. Finishing sets {@code backupTime} to now and, for a restorable
     * backup without files, adds one file of {@link #size()} bytes; going back to QUEUED/INPROGRESS
     * clears {@code backupTime}.
     */
    public synchronized SimulatedVProtectBackup setStatus(String status) {
        applyStatus(VProtectEnums.require(VProtectEnums.STATUS, "backup status", status), System.currentTimeMillis());
        return this;
    }

    public synchronized SimulatedVProtectBackup setType(String type) {
        this.type = VProtectEnums.require(VProtectEnums.TYPE, "backup type", type);
        return this;
    }

    public synchronized SimulatedVProtectBackup setSize(long size) {
        this.size = size;
        return this;
    }

    public synchronized SimulatedVProtectBackup setStatusInfo(String statusInfo) {
        this.statusInfo = statusInfo;
        return this;
    }

    public synchronized SimulatedVProtectBackup setWarnings(List<String> warnings) {
        this.warnings = List.copyOf(warnings);
        return this;
    }

    public synchronized SimulatedVProtectBackup setWarningsAcknowledged(boolean acknowledged) {
        this.warningsAcknowledged = acknowledged;
        return this;
    }

    public synchronized SimulatedVProtectBackup setHidden(boolean hidden) {
        this.hidden = hidden;
        return this;
    }

    public synchronized SimulatedVProtectBackup setDescription(String description) {
        this.description = description;
        return this;
    }

    public synchronized SimulatedVProtectBackup setBackupFiles(List<BackupFile> files) {
        this.backupFiles = List.copyOf(files);
        return this;
    }

    public synchronized SimulatedVProtectBackup setBackupDestination(String name) {
        this.backupDestination = Objects.requireNonNull(name);
        return this;
    }

    public synchronized SimulatedVProtectBackup setPolicy(String name) {
        this.policy = Objects.requireNonNull(name);
        return this;
    }

    /** QUEUED → INPROGRESS → SUCCESS; other statuses stay. Returns whether it moved. */
    synchronized boolean advance() {
        if ("QUEUED".equals(status)) {
            setStatus("INPROGRESS");
            return true;
        }
        if ("INPROGRESS".equals(status)) {
            setStatus("SUCCESS");
            return true;
        }
        return false;
    }

    private void applyStatus(String newStatus, long finishedAt) {
        status = newStatus;
        if (VProtectEnums.RUNNING.contains(newStatus)) {
            backupTime = null;
        } else if (backupTime == null) {
            backupTime = Math.max(finishedAt, snapshotTime);
        }
        statusInfo = switch (newStatus) {
            case "QUEUED" -> "Waiting for a free node";
            case "INPROGRESS" -> "Exporting disks";
            case "FAILED" -> "Export failed: snapshot could not be created";
            case "PARTIAL_SUCCESS" -> "Some disks could not be exported";
            case "SUCCESS_REMOVED" -> "Backup files removed by retention";
            default -> "";
        };
        boolean restorable = newStatus.equals("SUCCESS") || newStatus.equals("PARTIAL_SUCCESS")
                || newStatus.equals("SUCCESS_REMOVED");
        if (restorable && backupFiles.isEmpty()) {
            String name = entity.type().equals("VM") ? "disk0.qcow2" : "data.tar.gz";
            backupFiles = List.of(new BackupFile(derivedGuid("file-0"), name, size,
                    "/vprotect_data/" + entity.name() + "/" + guid + "/" + name));
        }
    }

    // ---------------------------------------------------------------- JSON

    /** BackupListRecord. BackupDetails (the /detailed listing) uses the same fields. */
    synchronized ObjectNode toListRecord() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("guid", guid);
        if (backupTime != null) {
            n.put("backupTime", backupTime);
        }
        n.put("snapshotTime", snapshotTime);
        n.set("status", VProtectEnums.node(VProtectEnums.STATUS, status));
        n.set("type", VProtectEnums.node(VProtectEnums.TYPE, type));
        n.put("statusInfo", statusInfo);
        n.put("size", size);
        n.put("effectiveBackupSize", size);
        n.put("effectiveBackupObjectsCount", backupFiles.size());
        n.set("protectedEntity", entity.toJson());
        n.set("originEntity", entity.toJson());
        if (parentGuid != null) {
            n.set("parentBackup", ref(parentGuid, "backup " + parentGuid));
        }
        n.set("backupRule", ref(stableGuid(policy + "/rule"), "Daily " + entity.type() + " rule"));
        ArrayNode locations = n.putArray("backupLocations");
        ObjectNode location = locations.addObject();
        location.put("guid", derivedGuid("location-primary"));
        location.set("backup", ref(guid, entity.name()));
        location.put("snapshotTime", snapshotTime);
        location.set("backupDestination", ref(stableGuid(backupDestination), backupDestination));
        // enums travel as {name, description}; the UI reads roleType.name and status.name
        location.set("roleType", enumNode("PRIMARY"));
        location.set("backupDestinationType", enumNode("FILESYSTEM"));
        location.set("status", enumNode(locationStatus()));
        n.put("warningsPresent", !warnings.isEmpty());
        ArrayNode w = n.putArray("warnings");
        warnings.forEach(w::add);
        n.put("warningsAcknowledged", warningsAcknowledged);
        n.put("hidden", hidden);
        n.put("description", description);
        n.put("vmExportImportMode", "DISK_ATTACHMENT");
        return n;
    }

    /** BackupExtendedDetails: the record plus destination, policy, hypervisor and files. */
    synchronized ObjectNode toExtendedDetails() {
        ObjectNode n = toListRecord();
        n.set("backupDestination", ref(stableGuid(backupDestination), backupDestination));
        n.set("policy", ref(stableGuid(policy), policy));
        if (entity.type().equals("VM")) {
            n.set("hypervisor", ref(stableGuid("kvm-node-1"), "kvm-node-1"));
        } else {
            n.putNull("hypervisor");
        }
        ArrayNode files = n.putArray("backupFiles");
        for (BackupFile f : backupFiles) {
            ObjectNode fn = files.addObject();
            fn.put("guid", f.guid());
            fn.put("name", f.name());
            fn.put("size", f.size());
            fn.put("path", f.path());
        }
        return n;
    }

    /** The location status names the UI colours: IN_PROGRESS, PRESENT, FAILED, REMOVED. */
    private String locationStatus() {
        return switch (status) {
            case "QUEUED", "INPROGRESS" -> "IN_PROGRESS";
            case "FAILED" -> "FAILED";
            case "SUCCESS_REMOVED" -> "REMOVED";
            default -> "PRESENT";
        };
    }

    /** An enum whose description is just its name in words (these descriptions are not published). */
    private static ObjectNode enumNode(String name) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", name);
        n.put("description", name.charAt(0) + name.substring(1).toLowerCase().replace('_', ' '));
        return n;
    }

    private String derivedGuid(String what) {
        return stableGuid(guid + "/" + what);
    }

    /** Stable GUIDs for referenced objects, so repeated renders agree. */
    private static String stableGuid(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static ObjectNode ref(String guid, String name) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("guid", guid);
        n.put("name", name);
        return n;
    }
}
