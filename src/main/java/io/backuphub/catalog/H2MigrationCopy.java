package io.backuphub.catalog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

import io.backuphub.Fsync;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.h2.engine.ConnectionInfo;
import org.h2.store.fs.FilePath;
import org.h2.tools.Restore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of an H2 catalog file taken before its migrations run, put back if they were cut short.
 * <p>
 * H2 commits each DDL statement on its own and Flyway records a migration only when it has finished, so a hub killed
 * inside a migration (on its very first start, or on an upgrade) leaves a catalog whose schema is half new and whose
 * history says it is old: the next start runs the migration again and fails on what it had already made ("Table ...
 * already exists"). Before the first pending migration runs (a Flyway callback: a start with nothing to migrate costs
 * nothing), the catalog is copied ({@code BACKUP TO}: consistent while open) and a marker file names the copy; the
 * marker goes only once the migrated catalog is on disk. A start that finds the marker puts the copy back before
 * anything opens the catalog, and migrates again. A migration that fails (rather than being killed) is undone alike.
 * <p>
 * PostgreSQL needs none of this: its DDL is transactional, and Flyway runs each migration in one transaction.
 */
final class H2MigrationCopy implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(H2MigrationCopy.class);
    private static final String DATABASE_FILE = ".mv.db";

    private final Path database;
    private final Path copy;
    private final Path partial;
    private final Path marker;
    /** Whether this start took the copy (before its first migration). */
    private boolean taken;

    private H2MigrationCopy(Path database) {
        this.database = database;
        this.copy = sibling(".pre-migration.zip");
        this.partial = sibling(".pre-migration.zip.part");
        this.marker = sibling(".migrating");
    }

    /**
     * The copy for an H2 catalog in a file ({@code jdbc:h2:retry:}, {@code jdbc:h2:file:}, a bare path, ...); empty
     * for anything else (in memory, a server, PostgreSQL). The URL is read by H2 itself, as its driver will read it.
     */
    static Optional<H2MigrationCopy> forUrl(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        ConnectionInfo url = new ConnectionInfo(jdbcUrl, new Properties(), null, null);
        if (!url.isPersistent() || url.isRemote()) {
            return Optional.empty();
        }
        // the name as a plain path: without the file system H2 reaches it through (retry:, nio:, ...)
        return Optional.of(new H2MigrationCopy(Path.of(FilePath.get(url.getName()).unwrap().toString())));
    }

    /** Puts the copy back when the last migration was cut short; call it before anything opens the catalog. */
    void restoreIfCutShort() {
        if (!Files.exists(marker)) {
            try {
                // what a kill left while the copy was being taken, or right after the marker went
                Files.deleteIfExists(partial);
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.warn("cannot remove an old copy of the catalog ({}): {}", copy, e.getMessage());
            }
            return;
        }
        if (!Files.isRegularFile(copy)) {
            throw new IllegalStateException("the catalog's last migration was cut short (" + marker.getFileName()
                    + ") and its copy from before it, " + copy.getFileName() + ", is gone: put the catalog back from "
                    + "a backup, then delete " + marker.getFileName());
        }
        try {
            refuseWhileOpenElsewhere();
            LOG.warn("the catalog's last migration was cut short: putting back its copy from before it ({})", copy);
            Files.deleteIfExists(databaseFile());
            Restore.execute(copy.toString(), database.getParent().toString(), database.getFileName().toString());
            Fsync.file(databaseFile());
            Files.delete(marker);
            Fsync.folder(database.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot put back the catalog's copy " + copy + ": " + e.getMessage(), e);
        }
    }

    /**
     * A marker is also there while a hub is migrating this catalog right now (a second hub started on the same data
     * folder): H2 holds a lock on its file while it has it open, and putting the copy back under it would split the
     * catalog in two.
     */
    private void refuseWhileOpenElsewhere() throws IOException {
        if (!Files.exists(databaseFile())) {
            return;
        }
        try (FileChannel catalog = FileChannel.open(databaseFile(), StandardOpenOption.WRITE);
                FileLock lock = catalog.tryLock()) {
            if (lock != null) {
                return;
            }
        } catch (OverlappingFileLockException openInThisJvm) {
            // held by a hub in this JVM: as much in use
        }
        throw new IllegalStateException("the catalog " + databaseFile() + " is open in another hub, which is migrating "
                + "it (" + marker.getFileName() + "): stop that one first, or give this one a data folder of its own");
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true; // the copy is taken on a connection of its own
    }

    /** Before the first migration of this run: the copy. */
    @Override
    public void handle(Event event, Context context) {
        if (!taken) {
            takeBeforeMigrating(context.getConfiguration().getDataSource());
        }
    }

    @Override
    public String getCallbackName() {
        return "copy of the catalog before migrating";
    }

    /** Copies the open catalog and marks the migration begun: on disk both, before the first migration runs. */
    void takeBeforeMigrating(DataSource catalog) {
        try (Connection connection = catalog.getConnection();
                PreparedStatement backup = connection.prepareStatement("BACKUP TO ?")) {
            Files.deleteIfExists(partial);
            backup.setString(1, partial.toString());
            backup.execute();
            Fsync.file(partial);
            Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.write(marker, copy.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            Fsync.file(marker);
            Fsync.folder(database.getParent());
            taken = true;
            LOG.info("catalog copied to {} before migrating it", copy.getFileName());
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot copy the catalog before migrating it: " + e.getMessage(), e);
        }
    }

    /** The migrated catalog is on disk (the caller's CHECKPOINT): the marker and the copy, if taken, go. */
    void migrated() {
        if (!taken) {
            return;
        }
        try {
            Files.delete(marker);
            Fsync.folder(database.getParent());
            Files.delete(copy);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + marker + " after migrating: " + e.getMessage(), e);
        }
    }

    Path marker() {
        return marker;
    }

    private Path databaseFile() {
        return sibling(DATABASE_FILE);
    }

    private Path sibling(String suffix) {
        return database.resolveSibling(database.getFileName() + suffix);
    }
}
