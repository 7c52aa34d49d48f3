package io.backuphub.ops;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Run in a child JVM by {@link LogFormatTest}: selects the format as the hub does, then logs two events. */
public final class LogProbe {

    private LogProbe() {
    }

    public static void main(String[] args) {
        LogFormat.select(Path.of(args[0]));
        Logger log = LoggerFactory.getLogger("io.backuphub.events");
        log.info("source=cloud66 instance=7 backup=42 provider_backup=9 new status=completed");
        log.warn("source=vprotect sync failed\nafter a line break", new IllegalStateException("boom"));
    }
}
