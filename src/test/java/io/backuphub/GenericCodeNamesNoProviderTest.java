package io.backuphub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding a provider touches no generic file: no production source outside the providers' own packages
 * ({@code io.backuphub.provider.<id>}) and the demo mentions a provider id (the name of a subpackage of
 * {@code io.backuphub.provider}) in code, string literals or comments, or imports a provider's package. The routes'
 * YAML is generic code too.
 */
class GenericCodeNamesNoProviderTest {

    private static final Path SOURCES = Path.of("src/main/java/io/backuphub");
    private static final Path PROVIDERS = SOURCES.resolve("provider");
    /** The help text lists the environment variables of the legacy connection blocks, as the README does. */
    private static final Path HELP = SOURCES.resolve("launch/Options.java");

    @Test
    void noGenericProductionFileNamesAProvider() throws IOException {
        List<String> providers = providerIds();
        assertFalse(providers.isEmpty(), "no provider packages under " + PROVIDERS);
        List<String> offences = new ArrayList<>();
        for (Path file : genericFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = withoutTheApiStandard(lines.get(i).toLowerCase(Locale.ROOT));
                for (String id : providers) {
                    if (line.contains(id)) {
                        offences.add(file + ":" + (i + 1) + " names " + id + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), offences);
    }

    @Test
    void aProviderIdInAGenericFileIsFound() throws IOException {
        Path file = Files.createTempFile("Generic", ".java");
        try {
            Files.writeString(file, "import io.backuphub.provider." + providerIds().get(0) + ".Anything;\n");
            String text = Files.readString(file).toLowerCase(Locale.ROOT);
            assertFalse(providerIds().stream().noneMatch(text::contains));
        } finally {
            Files.delete(file);
        }
    }

    /**
     * The hub's own API follows Backupify's v1 API: naming that standard ("the Backupify-compatible v1 API", "the
     * Backupify reference", "a Backupify client") is about the API, not about the provider of that name.
     */
    static String withoutTheApiStandard(String line) {
        return line.replace("backupify-compatible", "").replace("backupify reference", "")
                .replace("backupify client", "");
    }

    @Test
    void theApiStandardMayBeNamedButNotTheProvider() {
        assertEquals(" v1 api", withoutTheApiStandard("backupify-compatible v1 api"));
        assertTrue(withoutTheApiStandard("direct:backupify-open-record").contains("backupify"));
    }

    private static List<String> providerIds() throws IOException {
        try (Stream<Path> dirs = Files.list(PROVIDERS)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString().toLowerCase(Locale.ROOT))
                    .sorted().toList();
        }
    }

    private static List<Path> genericFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> java = Files.walk(SOURCES)) {
            java.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !(p.startsWith(PROVIDERS) && p.getParent() != null && !p.getParent().equals(PROVIDERS)))
                    .filter(p -> !p.startsWith(SOURCES.resolve("demo")))
                    .filter(p -> !p.equals(HELP))
                    .forEach(files::add);
        }
        try (Stream<Path> yaml = Files.list(Path.of("routes"))) {
            yaml.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        return files.stream().sorted().toList();
    }
}
