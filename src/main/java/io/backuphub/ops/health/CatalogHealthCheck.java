package io.backuphub.ops.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Readiness of the catalog: the database answers, and its schema has every migration this build ships
 * (none missing, none failed). The newest migration on the classpath is looked up once, from the names of the
 * migration scripts (asking Flyway would connect it to the database a second time after start-up's migration,
 * and log its database warnings again); each check then reads Flyway's history table with one query.
 */
public class CatalogHealthCheck extends AbstractHealthCheck {

    /** Where CatalogConfiguration's Flyway finds the migrations, and how Flyway names a versioned SQL one. */
    static final String LOCATION = "db/migration";
    /** A versioned SQL script, or a versioned Java migration's class (not its inner classes). */
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^/$]*\\.(sql|class)");

    private final Catalog catalog;
    private volatile MigrationVersion shipped;

    public CatalogHealthCheck(Catalog catalog) {
        super("backuphub", "catalog");
        this.catalog = catalog;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Applied applied;
        try {
            applied = CatalogJdbi.of(catalog).withHandle(h -> {
                List<MigrationVersion> succeeded = new ArrayList<>();
                List<MigrationVersion> failed = new ArrayList<>();
                h.createQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")
                        .map(ConstructorMapper.of(Migration.class))
                        .forEach(m -> (m.success() ? succeeded : failed).add(MigrationVersion.fromVersion(m.version())));
                return new Applied(succeeded.stream().max(Comparator.naturalOrder()).orElse(MigrationVersion.EMPTY), failed);
            });
        } catch (RuntimeException e) {
            builder.down().message("catalog database is unreachable: " + e.getMessage());
            return;
        }
        builder.detail("schema.version", applied.current().getVersion() == null ? "none" : applied.current().getVersion());
        MigrationVersion needed = shipped();
        if (!applied.failed().isEmpty()) {
            builder.down().message("catalog migration " + applied.failed() + " failed: fix it and restart the hub");
        } else if (needed.compareTo(applied.current()) > 0) {
            builder.down().message("catalog schema is behind this build: at version " + applied.current()
                    + ", this build needs " + needed + "; restart the hub to migrate");
        } else {
            builder.up();
        }
    }

    /** The newest migration this build ships (on the classpath), whatever the database holds. */
    private MigrationVersion shipped() {
        if (shipped == null) {
            shipped = shippedMigrations(CatalogHealthCheck.class.getClassLoader()).stream()
                    .max(Comparator.naturalOrder())
                    .orElse(MigrationVersion.EMPTY);
        }
        return shipped;
    }

    /**
     * The versions of the versioned migrations (SQL scripts and Java classes) under {@value #LOCATION}, in folders or
     * jars of the class path.
     */
    public static List<MigrationVersion> shippedMigrations(ClassLoader loader) {
        List<MigrationVersion> versions = new ArrayList<>();
        try {
            for (URL location : Collections.list(loader.getResources(LOCATION))) {
                for (String name : scriptNames(location)) {
                    Matcher versioned = VERSIONED.matcher(name);
                    if (versioned.matches()) {
                        versions.add(MigrationVersion.fromVersion(versioned.group(1).replace('_', '.')));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the catalog migrations on the class path", e);
        }
        return versions;
    }

    /** File names (without folders) of the scripts under a migration location, sub-folders included. */
    private static List<String> scriptNames(URL location) throws IOException {
        if ("jar".equals(location.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) location.openConnection();
            connection.setUseCaches(false);
            String prefix = connection.getEntryName() + "/";
            try (JarFile jar = connection.getJarFile()) {
                return jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
                        .map(e -> e.getName().substring(e.getName().lastIndexOf('/') + 1)).toList();
            }
        }
        try (Stream<Path> files = Files.walk(Path.of(location.toURI()))) {
            return files.filter(Files::isRegularFile).map(Path::getFileName).filter(Objects::nonNull)
                    .map(Path::toString).toList();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot read migrations at " + location, e);
        }
    }

    /** One row of Flyway's history. */
    private record Migration(String version, boolean success) {
    }

    private record Applied(MigrationVersion current, List<MigrationVersion> failed) {
    }
}
