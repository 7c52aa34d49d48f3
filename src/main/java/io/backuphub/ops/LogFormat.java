package io.backuphub.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Chooses the log output before logging starts: {@code hub.log.format} = {@code text} or {@code json}.
 * config/log4j2.properties reads it as a system property or as {@code HUB_LOG_FORMAT}; this copies the value
 * from application.properties to the system property when neither is set, so all three places work
 * (system property first, then environment, then the file, as for every other property).
 */
public final class LogFormat {

    public static final String PROPERTY = "hub.log.format";
    public static final String ENV = "HUB_LOG_FORMAT";

    private LogFormat() {
    }

    public static void select(Path applicationProperties) {
        if (System.getProperty(PROPERTY) != null || System.getenv(ENV) != null || !Files.isReadable(applicationProperties)) {
            return;
        }
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(applicationProperties, StandardCharsets.UTF_8)) {
            config.load(in);
        } catch (IOException e) {
            return; // the hub reports an unreadable configuration itself, once logging works
        }
        String format = config.getProperty(PROPERTY);
        if (format != null && !format.isBlank()) {
            System.setProperty(PROPERTY, format.trim());
        }
    }
}
