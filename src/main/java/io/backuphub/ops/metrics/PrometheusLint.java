package io.backuphub.ops.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;

/**
 * Makes every series on {@code /observe/metrics} pass {@code promtool check metrics}, Camel's too: label names in
 * snake_case ({@code routeId} is shown as {@code route_id}) and a HELP text for every meter. The labels are
 * renamed where Prometheus names are made (the registry's naming convention), not in the meters themselves:
 * Camel finds its own meters again by their {@code routeId} tag, to drop them when routes are reloaded.
 */
public final class PrometheusLint {

    private static final Pattern LOWER_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern ACRONYM_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");

    /** What Camel registers without a description (Prometheus would show an empty HELP). */
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "app.info", "The application: Camel version, runtime and context name as labels",
            "camel.routes.added", "Routes added to the Camel context",
            "camel.routes.running", "Routes of the Camel context that are running",
            "camel.routes.reloaded", "Routes reloaded in the Camel context (live route reload)");

    private PrometheusLint() {
    }

    /** Sets the naming convention and the description filter; call before any meter is registered. */
    public static void apply(PrometheusMeterRegistry registry) {
        registry.config().namingConvention(new SnakeCaseLabels());
        registry.config().meterFilter(DESCRIBE);
    }

    /** {@code routeId} → {@code route_id}, {@code camelContext} → {@code camel_context}; snake_case stays as it is. */
    static String snakeCase(String key) {
        String words = ACRONYM_WORD.matcher(key).replaceAll("$1_$2");
        return LOWER_UPPER.matcher(words).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }

    /** A meter without a description gets one: Camel's known ones by name, any other its own name in words. */
    static final MeterFilter DESCRIBE = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            if (id.getDescription() != null && !id.getDescription().isBlank()) {
                return id;
            }
            String description = DESCRIPTIONS.getOrDefault(id.getName(), id.getName().replace('.', ' '));
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()),
                    id.getBaseUnit(), description, id.getType());
        }
    };

    /** Prometheus' own naming, with label names in snake_case. */
    static final class SnakeCaseLabels implements NamingConvention {
        private final PrometheusNamingConvention prometheus = new PrometheusNamingConvention();

        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            return prometheus.name(name, type, baseUnit);
        }

        @Override
        public String tagKey(String key) {
            return prometheus.tagKey(snakeCase(key));
        }
    }
}
