package io.backuphub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The packaged jar ({@code target/backup-hub.jar}) started as a user starts it, in a separate JVM. */
public final class HubJar {

    public static final Path JAR = Path.of("target/backup-hub.jar").toAbsolutePath();

    private HubJar() {
    }

    /**
     * {@code java -jar backup-hub.jar args} in {@code workDir}, standard output and error into {@code log}; the
     * environment is this one's without the hub's own variables, so only what a test sets applies.
     */
    public static ProcessBuilder builder(Path workDir, Path log, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = Stream.concat(Stream.of(java, "-Xmx256m", "-jar", JAR.toString()), Stream.of(args)).toList();
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HUB_"));
        return builder;
    }

    public static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for the process to end; kills it if it does not within the time. */
    public static int exitCode(Process process, long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** The lines of the output that contain {@code text}. */
    public static List<String> linesWith(String output, String text) {
        return output.lines().filter(line -> line.contains(text)).toList();
    }
}
