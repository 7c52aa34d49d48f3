package io.backuphub.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.backuphub.TestHub;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Copy speed side by side (not part of the suite: run it by name). nginx on a free loopback port serves
 * {@code bench.copy.files} files of 50 MiB and one of 2 GiB ({@code bench.copy.big=false} leaves it out),
 * random bytes written once (kept between runs in the temp folder); then in turns, in the same run:
 * <ol>
 *   <li>the floor: {@code curl -o} of every file, then {@code sha256sum} of what it wrote;</li>
 *   <li>{@code rclone copy} over its http backend (4 transfers, its default), then {@code sha256sum};</li>
 *   <li>the hub: a Cloud66 backup whose files' signed URLs point at nginx, synced and copied by the fan-out's
 *       copy run to a {@code file:} target with SHA-256 verification, in its own JVM with
 *       {@code -Xmx}{@code bench.copy.heap} (256m).</li>
 * </ol>
 * Every copy is checked against the source's hashes. Prints {@code BENCH|<figure>|<hub>|<floor>|<unit>|<ratio>}
 * lines and a table. {@code bench.copy.jfr=<file>} records the hub's JVM with JFR.
 *
 * <pre>mvn -o -q test -Dtest=CopyBenchmark -Dbench.copy.files=20</pre>
 */
class CopyBenchmark {

    private static final long MIB = 1024 * 1024;
    private static final long SMALL = 50 * MIB;
    private static final long BIG = 2048 * MIB;

    private final int files = Integer.getInteger("bench.copy.files", 20);
    private final boolean big = Boolean.parseBoolean(System.getProperty("bench.copy.big", "true"));
    private final String heap = System.getProperty("bench.copy.heap", "256m");
    private final String jfr = System.getProperty("bench.copy.jfr", "");

    @Test
    void theHubCopiesAsFastAsRcloneWithAFlatHeap() throws Exception {
        for (String program : List.of("nginx", "rclone", "curl", "sha256sum")) {
            assertTrue(onPath(program), "the copy benchmark needs '" + program + "' on the PATH (Debian package "
                    + ("sha256sum".equals(program) ? "coreutils" : program) + ")");
        }
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "backuphub-copy-bench");
        Path source = work.resolve("source");
        Map<String, String> expected = sourceFiles(source);
        long bytes = 0;
        for (String name : expected.keySet()) {
            bytes += Files.size(source.resolve(name));
        }
        double mib = bytes / (double) MIB;
        System.out.printf("copy benchmark: %d files, %.0f MiB, from nginx on loopback%n", expected.size(), mib);

        int nginxPort = TestHub.freePort();
        int simulatorPort = TestHub.freePort();
        Process nginx = startNginx(work, source, nginxPort, simulatorPort);
        Map<String, Double> seconds = new LinkedHashMap<>();
        try {
            String filesUrl = "http://127.0.0.1:" + nginxPort + "/files/";

            // 1. the floor: curl -o, then sha256sum
            Path curlDir = fresh(work.resolve("curl"));
            List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--fail"));
            for (String name : expected.keySet()) {
                curl.addAll(List.of("-o", curlDir.resolve(name).toString(), filesUrl + name));
            }
            long t0 = System.nanoTime();
            run(curl, work);
            double curlCopy = since(t0);
            long t1 = System.nanoTime();
            assertEquals(expected, sha256sum(curlDir), "curl's copies");
            seconds.put("curl -o", curlCopy);
            seconds.put("curl -o + sha256sum", curlCopy + since(t1));
            delete(curlDir);

            // 2. rclone copy (http backend), then sha256sum
            Path rcloneDir = fresh(work.resolve("rclone"));
            Path rcloneConfig = work.resolve("rclone.conf");
            Files.writeString(rcloneConfig, "");
            long t2 = System.nanoTime();
            run(List.of("rclone", "--config", rcloneConfig.toString(), "copy", "--http-url", filesUrl, ":http:",
                    rcloneDir.toString()), work);
            double rcloneCopy = since(t2);
            long t3 = System.nanoTime();
            assertEquals(expected, sha256sum(rcloneDir), "rclone's copies");
            seconds.put("rclone copy", rcloneCopy);
            seconds.put("rclone copy + sha256sum", rcloneCopy + since(t3));
            delete(rcloneDir);

            // 3. the hub, in its own JVM with the heap under test
            Path hubDir = fresh(work.resolve("hub"));
            Map<String, String> hub = runHub(hubDir, simulatorPort, "http://127.0.0.1:" + nginxPort + "/api/3",
                    source, expected);
            double hubCopy = Long.parseLong(hub.get("copy_ms")) / 1000.0;
            seconds.put("hub copy run (SHA-256 verified)", hubCopy);
            Map<String, String> stored = new LinkedHashMap<>();
            try (Stream<Path> walk = Files.walk(hubDir.resolve("storage"))) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    stored.put(file.getFileName().toString(), sha256(file));
                }
            }
            assertEquals(expected, stored, "the hub's copies on disk");
            delete(hubDir);

            double rcloneChecked = seconds.get("rclone copy + sha256sum");
            double floor = seconds.get("curl -o + sha256sum");
            report(expected.size(), mib, seconds, hub);
            bench("copy_vs_rclone_checked", hubCopy, rcloneChecked, "s");
            bench("copy_vs_rclone_copy", hubCopy, seconds.get("rclone copy"), "s");
            bench("copy_vs_curl_floor", hubCopy, floor, "s");
            bench("copy_heap_peak", Double.parseDouble(hub.get("heap_peak_mib")), 256, "MiB");
            bench("copy_rss_peak", Long.parseLong(hub.get("rss_peak_kib")) / 1024.0, 350, "MiB");
            Files.writeString(Path.of("target", "bench-copy.txt"), table.toString());
            System.err.print(table);
        } finally {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What the run prints, also kept in target/bench-copy.txt (surefire sends a test's output to a file). */
    private final StringBuilder table = new StringBuilder();

    private void report(int count, double mib, Map<String, Double> seconds, Map<String, String> hub) {
        line("");
        line(String.format("%-36s %10s %10s", "copy of " + count + " files, " + Math.round(mib) + " MiB", "seconds", "MiB/s"));
        seconds.forEach((what, s) -> line(String.format("%-36s %10.2f %10.0f", what, s, mib / s)));
        line(String.format("%-36s %10s", "hub heap peak / max (MiB)", hub.get("heap_peak_mib") + " / " + hub.get("heap_max_mib")));
        line(String.format("%-36s %10.0f", "hub peak RSS (MiB)", Long.parseLong(hub.get("rss_peak_kib")) / 1024.0));
        line(String.format("%-36s %10s", "hub start / sync (ms)", hub.get("start_ms") + " / " + hub.get("sync_ms")));
        line("");
    }

    private void line(String text) {
        System.out.println(text);
        table.append(text).append(System.lineSeparator());
    }

    private void bench(String figure, double hub, double floor, String unit) {
        line(String.format("BENCH|%s|%.2f|%.2f|%s|%.2f", figure, hub, floor, unit, hub / floor));
    }

    /** The hub's JVM: the copy run's figures, after checking every copy is stored with the source's hash. */
    private Map<String, String> runHub(Path hubDir, int simulatorPort, String apiUrl, Path source,
                                       Map<String, String> expected) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", classpath));
        if (!jfr.isEmpty()) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of(CopyBenchmarkHub.class.getName(), String.valueOf(simulatorPort), apiUrl,
                hubDir.resolve("data").toString(), hubDir.resolve("storage").toString()));
        for (String name : expected.keySet()) {
            command.add(name + ":" + Files.size(source.resolve(name)));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(hubDir.resolve("hub.log").toFile()).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the hub's copy did not end within 15 minutes; see " + hubDir.resolve("hub.log"));
        }
        Map<String, String> figures = new LinkedHashMap<>();
        List<String> copies = new ArrayList<>();
        for (String line : Files.readAllLines(hubDir.resolve("hub.log"))) {
            if (line.startsWith("HUB|")) {
                String[] parts = line.split("\\|", 3);
                if (parts[1].equals("copy")) {
                    copies.add(parts[2]);
                } else {
                    figures.put(parts[1], parts[2]);
                }
            }
        }
        assertEquals(0, process.exitValue(), "the hub's JVM failed: " + tail(hubDir.resolve("hub.log")));
        assertEquals(expected.size(), copies.size(), "copies: " + copies);
        for (String copy : copies) {
            String[] parts = copy.split(" ");
            String name = parts[3].substring(parts[3].lastIndexOf('/') + 1);
            assertEquals("stored " + expected.get(name), parts[0] + " " + parts[1], copy);
        }
        return figures;
    }

    /** The benchmark's source files and their SHA-256, made once with random bytes and kept for later runs. */
    private Map<String, String> sourceFiles(Path source) throws IOException {
        Files.createDirectories(source);
        Files.setPosixFilePermissions(source.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, Long> wanted = new LinkedHashMap<>();
        for (int i = 1; i <= files; i++) {
            wanted.put(String.format("file-%03d.bin", i), SMALL);
        }
        if (big) {
            wanted.put("big-2gib.bin", BIG);
        }
        Files.createDirectories(source.resolveSibling("hashes"));
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Map.Entry<String, Long> file : wanted.entrySet()) {
            Path path = source.resolve(file.getKey());
            Path hashFile = source.resolveSibling("hashes").resolve(file.getKey() + ".sha256");
            if (!Files.exists(path) || Files.size(path) != file.getValue() || !Files.exists(hashFile)) {
                hashes.put(file.getKey(), writeRandom(path, file.getValue(), file.getKey().hashCode()));
                Files.writeString(hashFile, hashes.get(file.getKey()));
            } else {
                hashes.put(file.getKey(), Files.readString(hashFile).trim());
            }
        }
        // what nginx lists for rclone: the wanted files alone
        try (Stream<Path> present = Files.list(source)) {
            for (Path other : present.toList()) {
                String name = other.getFileName().toString();
                if (!wanted.containsKey(name)) {
                    Files.delete(other);
                }
            }
        }
        return hashes;
    }

    /** Random bytes (not sparse, not compressible), hashed as they are written. */
    private static String writeRandom(Path path, long size, long seed) throws IOException {
        MessageDigest digest = sha256Digest();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += buffer.length) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buffer[i + b] = (byte) (r >>> (8 * b));
                    }
                }
                int n = (int) Math.min(buffer.length, size - written);
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
            }
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Process startNginx(Path work, Path source, int port, int simulatorPort) throws Exception {
        Path prefix = fresh(work.resolve("nginx"));
        String simulator = "http://127.0.0.1:" + simulatorPort;
        String self = "http://127.0.0.1:" + port;
        String conf = """
                daemon off;
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    types { application/octet-stream bin; }
                    default_type application/octet-stream;
                    server {
                        listen 127.0.0.1:%3$d;
                        # the files, listed for rclone's http backend
                        location /files/ { alias %2$s/; autoindex on; }
                        # Cloud66's signed S3 URLs: the file by its name, the signature ignored
                        location ~ ^/storage/.*/([^/]+)$ { alias %2$s/$1; }
                        # the Cloud66 API (the simulator), its public_urls pointed here
                        location /api/3/ {
                            proxy_pass %4$s;
                            proxy_set_header Accept-Encoding "";
                            sub_filter '%4$s/storage/' '%5$s/storage/';
                            sub_filter_once off;
                            sub_filter_types application/json;
                        }
                    }
                }
                """.formatted(prefix, source, port, simulator, self);
        Path confFile = prefix.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process nginx = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                fail("nginx did not start: " + Files.readString(prefix.resolve("nginx.out")));
            }
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        nginx.destroy();
        throw new IllegalStateException("nginx did not listen on port " + port);
    }

    /** sha256sum of every file in a folder, by file name. */
    private static Map<String, String> sha256sum(Path folder) throws Exception {
        List<String> command = new ArrayList<>(List.of("sha256sum"));
        try (Stream<Path> list = Files.list(folder)) {
            list.sorted().forEach(p -> command.add(p.getFileName().toString()));
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : run(command, folder)) {
            String[] parts = line.trim().split("\\s+\\*?", 2);
            sums.put(parts[1], parts[0]);
        }
        return sortedLike(sums);
    }

    private static Map<String, String> sortedLike(Map<String, String> map) {
        Map<String, String> sorted = new LinkedHashMap<>();
        map.keySet().stream().sorted(Comparator.comparing((String k) -> k.startsWith("big")).thenComparing(k -> k))
                .forEach(k -> sorted.put(k, map.get(k)));
        return sorted;
    }

    private static List<String> run(List<String> command, Path dir) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        int exit = process.waitFor();
        assertEquals(0, exit, command.get(0) + " failed: " + String.join("\n", lines));
        return lines;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Path fresh(Path dir) throws IOException {
        delete(dir);
        return Files.createDirectories(dir);
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
