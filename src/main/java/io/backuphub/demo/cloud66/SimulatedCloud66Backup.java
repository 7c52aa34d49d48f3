package io.backuphub.demo.cloud66;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A managed backup (providers.md 1.6). Tests may change it between polls; every setter is
 * thread-safe and, like the real service, moves {@code updated_at} to now.
 */
public final class SimulatedCloud66Backup {

    public static final int BACKUP_OK = 0;
    public static final int BACKUP_FAILED = 1;

    private static final DateTimeFormatter PATH_DATE =
            DateTimeFormatter.ofPattern("yyyy.MM.dd.HH.mm.ss").withZone(ZoneOffset.UTC);

    private final long id;
    private final String stackUid;
    private final String dbType;
    private final String databaseName;
    private final Instant backupDate;
    private final Instant createdAt;
    private final String serverUid;
    private final String storagePath;
    private String fileBase = "";
    private String fileName;
    private int backupStatus;
    private String backupResult;
    private int restoreStatus;
    private String restoreResult;
    private int verifyStatus;
    private String verifyResult;
    private String skipTables = "";
    private long backupSize;
    private Boolean logicalBackup;
    private Integer group;
    private List<SimFile> files;
    private Instant updatedAt;

    SimulatedCloud66Backup(long id, String stackUid, String dbType, String databaseName, Instant backupDate,
                  int backupStatus, long sizeBytes, int group) {
        this.id = id;
        this.stackUid = Objects.requireNonNull(stackUid);
        this.dbType = Objects.requireNonNull(dbType);
        this.databaseName = Objects.requireNonNull(databaseName);
        this.backupDate = backupDate.truncatedTo(ChronoUnit.SECONDS);
        this.createdAt = this.backupDate;
        this.updatedAt = this.backupDate;
        this.backupStatus = backupStatus;
        this.backupResult = backupStatus == BACKUP_FAILED ? "Backup failed: database dump exited with status 1" : "";
        this.backupSize = sizeBytes;
        this.group = group;
        this.logicalBackup = !"redis".equals(dbType);
        this.serverUid = md5(stackUid + "/" + dbType);
        String dir = databaseName.replaceAll("[^A-Za-z0-9_.-]", "_");
        this.storagePath = md5(stackUid) + "/backups/" + serverUid + "/" + dbType + "/" + dir + "/"
                + PATH_DATE.format(this.backupDate);
        this.fileName = dir + "_" + id + ".tar";
        // A failed dump leaves nothing in the bucket.
        this.files = backupStatus == BACKUP_FAILED ? List.of() : List.of(new SimFile("tar", fileName, sizeBytes));
    }

    public long id() {
        return id;
    }

    public String stackUid() {
        return stackUid;
    }

    public String dbType() {
        return dbType;
    }

    public String databaseName() {
        return databaseName;
    }

    public Instant backupDate() {
        return backupDate;
    }

    public String storagePath() {
        return storagePath;
    }

    public synchronized int backupStatus() {
        return backupStatus;
    }

    public synchronized int verifyStatus() {
        return verifyStatus;
    }

    public synchronized long backupSize() {
        return backupSize;
    }

    public synchronized Integer group() {
        return group;
    }

    public synchronized List<SimFile> files() {
        return files;
    }

    public synchronized Instant updatedAt() {
        return updatedAt;
    }

    synchronized Optional<SimFile> file(String fileId) {
        return files.stream().filter(f -> f.id().equals(fileId)).findFirst();
    }

    synchronized Optional<SimFile> fileNamed(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** 0 = Ok, 1 = Failed. */
    public synchronized SimulatedCloud66Backup setBackupStatus(int backupStatus) {
        this.backupStatus = backupStatus;
        return touch();
    }

    public synchronized SimulatedCloud66Backup setBackupResult(String backupResult) {
        this.backupResult = backupResult;
        return touch();
    }

    /** 0 Not Restored, 1 Restoring, 2 Restored, 3 Restore Failed. */
    public synchronized SimulatedCloud66Backup setRestoreStatus(int restoreStatus) {
        this.restoreStatus = restoreStatus;
        return touch();
    }

    public synchronized SimulatedCloud66Backup setRestoreResult(String restoreResult) {
        this.restoreResult = restoreResult;
        return touch();
    }

    /** 0 Not Verified, 1 Verifying, 2 Verified, 3 Verification Failed, 4 Unable to Verify. */
    public synchronized SimulatedCloud66Backup setVerifyStatus(int verifyStatus) {
        this.verifyStatus = verifyStatus;
        return touch();
    }

    public synchronized SimulatedCloud66Backup setVerifyResult(String verifyResult) {
        this.verifyResult = verifyResult;
        return touch();
    }

    /** The declared {@code backup_size}; {@link #setFiles} overwrites it with the files' total. */
    public synchronized SimulatedCloud66Backup setBackupSize(long backupSize) {
        this.backupSize = backupSize;
        return touch();
    }

    /** Replaces the files and sets {@code backup_size} to their total (call setBackupSize after to make them disagree). */
    public synchronized SimulatedCloud66Backup setFiles(List<SimFile> files) {
        this.files = List.copyOf(files);
        this.backupSize = this.files.stream().mapToLong(SimFile::sizeBytes).sum();
        return touch();
    }

    public synchronized SimulatedCloud66Backup setGroup(Integer group) {
        this.group = group;
        return touch();
    }

    /** null = unknown (the job was pruned). */
    public synchronized SimulatedCloud66Backup setLogicalBackup(Boolean logicalBackup) {
        this.logicalBackup = logicalBackup;
        return touch();
    }

    public synchronized SimulatedCloud66Backup setSkipTables(String skipTables) {
        this.skipTables = skipTables;
        return touch();
    }

    public synchronized SimulatedCloud66Backup setFileBase(String fileBase) {
        this.fileBase = fileBase;
        return touch();
    }

    public synchronized SimulatedCloud66Backup setFileName(String fileName) {
        this.fileName = fileName;
        return touch();
    }

    /** For tests that need a specific timestamp rather than "now". */
    public synchronized SimulatedCloud66Backup setUpdatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt.truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    private SimulatedCloud66Backup touch() {
        updatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    /** The API representation, fields in the order of the reference example. */
    public synchronized ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", id);
        n.put("server_uid", serverUid);
        n.put("file_name", fileName);
        n.put("db_type", dbType);
        n.put("database_name", databaseName);
        n.put("file_base", fileBase);
        n.put("backup_date_iso", backupDate.toString());
        n.put("backup_status", backupStatus);
        n.put("backup_result", backupResult);
        n.put("restore_status", restoreStatus);
        n.put("restore_result", restoreResult);
        n.put("created_at_iso", createdAt.toString());
        n.put("updated_at_iso", updatedAt.toString());
        n.put("verify_status", verifyStatus);
        n.put("verify_result", verifyResult);
        n.put("storage_path", storagePath);
        n.put("skip_tables", skipTables);
        n.put("backup_size", backupSize);
        n.put("logical_backup", logicalBackup);
        n.put("group", group);
        return n;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
