package io.backuphub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile's build stage, without Docker: only the paths its COPY lines name are copied into an empty folder
 * (less what .dockerignore leaves out), and its Maven package command runs there offline, with the local
 * repository. A file the build needs but the Dockerfile does not copy fails this test, not the image build.
 */
class DockerBuildContextIT {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath();

    @TempDir
    Path context;

    @TempDir
    Path logs;

    @Test
    void theFilesTheDockerfileCopiesAreAllTheBuildNeedsToProduceTheJar() throws Exception {
        List<String[]> instructions = buildStage(Files.readAllLines(REPOSITORY.resolve("Dockerfile")));
        List<String> packageCommand = null;
        for (String[] instruction : instructions) {
            if (instruction[0].equals("COPY")) {
                copy(Arrays.asList(instruction).subList(1, instruction.length));
            } else if (instruction[0].equals("RUN") && Arrays.asList(instruction).contains("mvn")
                    && Arrays.asList(instruction).contains("package")) {
                packageCommand = new ArrayList<>(Arrays.asList(instruction).subList(1, instruction.length));
            }
        }
        assertNotNull(packageCommand, "the build stage runs mvn ... package");
        packageCommand.add(packageCommand.indexOf("mvn") + 1, "-o"); // offline: the local repository only

        Path log = logs.resolve("build.log");
        Process build = new ProcessBuilder(packageCommand).directory(context.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(build.waitFor(10, TimeUnit.MINUTES), "build finished");
        String output = Files.readString(log);
        assertEquals(0, build.exitValue(), String.join(" ", packageCommand) + " in the Docker build context:\n" + output);

        Path jar = context.resolve("target/backup-hub.jar");
        assertTrue(Files.isRegularFile(jar), output);
        try (JarFile built = new JarFile(jar.toFile())) {
            for (String entry : List.of("io/backuphub/BackupHub.class", "application.properties", "log4j2.properties",
                    "routes/fanout-storage.yaml")) {
                assertNotNull(built.getEntry(entry), entry + " in the jar");
            }
        }
    }

    /** The instructions of the first stage (up to the second FROM), continuation lines joined, split on blanks. */
    static List<String[]> buildStage(List<String> lines) {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int froms = 0;
        for (String line : lines) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String[] words = current.toString().trim().split("\\s+");
            current.setLength(0);
            words[0] = words[0].toUpperCase();
            if (words[0].equals("FROM") && ++froms > 1) {
                break;
            }
            instructions.add(words);
        }
        return instructions;
    }

    /** COPY [--flags] source... destination, into the context folder as Docker lays it under WORKDIR. */
    private void copy(List<String> arguments) throws IOException {
        List<String> paths = arguments.stream().filter(a -> !a.startsWith("--")).toList();
        assertFalse(paths.size() < 2, "COPY " + arguments);
        String destination = paths.get(paths.size() - 1);
        for (String source : paths.subList(0, paths.size() - 1)) {
            Path from = REPOSITORY.resolve(source).normalize();
            assertTrue(from.startsWith(REPOSITORY) && Files.exists(from), "COPY " + source + ": in the repository");
            // a folder's contents go to the destination; a file goes into it when it is "." or ends in "/"
            Path to = !Files.isDirectory(from) && (destination.equals(".") || destination.endsWith("/"))
                    ? context.resolve(destination).resolve(from.getFileName().toString())
                    : context.resolve(destination);
            copyTree(from, to.normalize());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).filter(DockerBuildContextIT::notIgnored).toList()) {
                Path target = file.equals(from) ? to : to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    /** What .dockerignore keeps out of the context. */
    private static boolean notIgnored(Path file) {
        Path relative = REPOSITORY.relativize(file);
        String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
        return !List.of("target", "data", ".git", ".idea", ".vscode", ".ci").contains(first)
                && !file.getFileName().toString().endsWith(".log");
    }
}
