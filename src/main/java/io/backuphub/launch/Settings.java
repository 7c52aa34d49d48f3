package io.backuphub.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

/**
 * Where the hub's configuration comes from, known before Camel starts: the defaults inside the jar
 * ({@code application.properties} on the class path), the file {@code config/application.properties} in the working
 * folder (or {@code HUB_CONFIG}) on top when present, then environment variables and system properties, as Camel
 * resolves them. Used for what must be decided before Camel reads its properties: where the routes come from, which
 * port the HTTP server takes, what the log says when start-up fails.
 */
public final class Settings {

    public static final String CONFIG_ENV = "HUB_CONFIG";
    public static final String DEFAULT_CONFIG = "config/application.properties";
    public static final String LOG_CONFIG_ENV = "HUB_LOG_CONFIG";
    public static final String DEFAULT_LOG_CONFIG = "config/log4j2.properties";
    public static final String CLASSPATH_CONFIG = "application.properties";
    public static final String CLASSPATH_ROUTES = "classpath:routes/*.yaml";

    private final Map<String, String> env;
    private final Path configFile;
    private final boolean configExplicit;
    private final Properties defaults;
    private final Properties file;

    Settings(Map<String, String> env) {
        this.env = env;
        String configured = env.get(CONFIG_ENV);
        this.configExplicit = configured != null && !configured.isBlank();
        this.configFile = Path.of(configExplicit ? configured : DEFAULT_CONFIG);
        this.defaults = load(Settings.class.getClassLoader());
        this.file = Files.isRegularFile(configFile) ? load(configFile) : new Properties();
    }

    /** The settings of this process (its environment and working folder). */
    public static Settings current() {
        return new Settings(System.getenv());
    }

    /** The configuration file read on top of the jar's defaults (it may not exist). */
    public Path configFile() {
        return configFile;
    }

    /** Whether {@code HUB_CONFIG} names the file (then it must exist). */
    public boolean configExplicit() {
        return configExplicit;
    }

    public boolean configFilePresent() {
        return Files.isRegularFile(configFile);
    }

    /** Camel's property locations: the file first (it wins), then the jar's defaults. */
    public String propertyLocations() {
        String jar = "classpath:" + CLASSPATH_CONFIG;
        return configFilePresent() ? "file:" + configFile + "," + jar : jar;
    }

    /** The log4j2 configuration file to use instead of the jar's, if any. */
    public Optional<Path> logConfigFile() {
        String configured = env.get(LOG_CONFIG_ENV);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        Path local = Path.of(DEFAULT_LOG_CONFIG);
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    /**
     * A property as Camel resolves it without placeholders: system property, then environment variable (upper case,
     * {@code .} and {@code -} as {@code _}), then the configuration file, then the jar's defaults.
     */
    public Optional<String> get(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = env.get(envName(key));
        }
        if (value == null) {
            value = file.getProperty(key);
        }
        if (value == null) {
            value = defaults.getProperty(key);
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The folder of the YAML routes on the file system ({@code hub.routes-dir}). */
    public Path routesDir() {
        return Path.of(get("hub.routes-dir").orElse("routes"));
    }

    /**
     * The YAML routes inside the jar, as Camel's {@code camel.main.routes-include-pattern}: each file named
     * ({@code classpath:routes/a.yaml,classpath:routes/b.yaml}), read from the jar's directory, because for the
     * pattern {@value #CLASSPATH_ROUTES} Camel reads through the whole runnable jar (about half a second of every
     * start). Run from a class folder (tests, an IDE) it is the pattern, which Camel matches in that folder.
     */
    public static String classpathRoutes() {
        CodeSource source = Settings.class.getProtectionDomain().getCodeSource();
        try {
            Path location = source == null ? null : Path.of(source.getLocation().toURI());
            if (location != null && Files.isRegularFile(location)) {
                try (JarFile jar = new JarFile(location.toFile())) {
                    String routes = jar.stream().map(ZipEntry::getName)
                            .filter(name -> name.startsWith("routes/") && name.endsWith(".yaml")
                                    && name.indexOf('/', "routes/".length()) < 0)
                            .sorted().map(name -> "classpath:" + name).collect(Collectors.joining(","));
                    if (!routes.isEmpty()) {
                        return routes;
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // Camel finds them by the pattern, only slower
        }
        return CLASSPATH_ROUTES;
    }

    /** {@code hub.api.port}, or -1 when it is not a plain number (a placeholder Camel resolves later). */
    public int apiPort() {
        try {
            return Integer.parseInt(get("hub.api.port").orElse("8080"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Properties load(ClassLoader loader) {
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_CONFIG)) {
            if (in != null) {
                properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Properties load(Path path) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            // Camel reports an unreadable file itself, once logging works
        }
        return properties;
    }
}
