package io.backuphub.ops;

import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * Run in a child JVM by {@link FlywayWarningTest} with the hub's log configuration: migrates an in-memory H2
 * catalog as the hub does (Flyway then says what it thinks of the H2 version), and logs another warning
 * through the same Flyway logger.
 */
public final class FlywayLogProbe {

    static final String OTHER_WARNING = "Flyway upgrade recommended: a probe's other warning";

    private FlywayLogProbe() {
    }

    public static void main(String[] args) {
        Flyway.configure().dataSource("jdbc:h2:mem:probe;DB_CLOSE_DELAY=-1", "sa", "")
                .locations("classpath:db/migration").load().migrate();
        LoggerFactory.getLogger("org.flywaydb.core.internal.database.base.Database").warn(OTHER_WARNING);
    }
}
