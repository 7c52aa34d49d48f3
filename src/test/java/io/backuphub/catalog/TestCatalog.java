package io.backuphub.catalog;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** A catalog of the catalog's tests: its own pool on a database migrated as the hub migrates it, node "test". */
record TestCatalog(HikariDataSource dataSource, Catalog catalog) implements AutoCloseable {

    /** A fresh H2 database in memory, named after {@code name}. */
    static TestCatalog inMemory(String name) {
        return on("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", null);
    }

    static TestCatalog on(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new TestCatalog(dataSource, new Catalog(dataSource, new ObjectMapper(), Clock.systemUTC(), "test"));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
