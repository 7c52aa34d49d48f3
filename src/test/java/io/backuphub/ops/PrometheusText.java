package io.backuphub.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample {@code name{label="value",...} value [timestamp]}, and every
 * sample must belong to a family whose TYPE came before it. Anything else fails with the line number.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")( .*)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|NaN|[-+]Inf");
    private static final Map<String, Set<String>> SUFFIXES = Map.of(
            "counter", Set.of("", "_total", "_created"),
            "gauge", Set.of(""),
            "untyped", Set.of(""),
            "histogram", Set.of("_bucket", "_sum", "_count", "_created"),
            "summary", Set.of("", "_sum", "_count", "_created"));

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isEmpty()) {
                if (i != lines.length - 1) {
                    throw new AssertionError("line " + number + ": empty line inside the exposition");
                }
                continue;
            }
            if (line.startsWith("#")) {
                Matcher type = TYPE.matcher(line);
                if (type.matches()) {
                    if (types.put(type.group(1), type.group(2)) != null) {
                        throw new AssertionError("line " + number + ": second TYPE for " + type.group(1));
                    }
                } else if (!HELP.matcher(line).matches()) {
                    throw new AssertionError("line " + number + ": neither HELP nor TYPE: " + line);
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("line " + number + ": not a sample: " + line);
            }
            String name = sample.group(1);
            if (family(name, types) == null) {
                throw new AssertionError("line " + number + ": sample of no declared family: " + line);
            }
            if (!VALUE.matcher(sample.group(4)).matches()) {
                throw new AssertionError("line " + number + ": not a value: " + sample.group(4));
            }
            samples.add(new Sample(name, labels(sample.group(3), number), Double.parseDouble(
                    sample.group(4).replace("Inf", "Infinity"))));
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        return new PrometheusText(samples, types);
    }

    private static String family(String sample, Map<String, String> types) {
        for (Map.Entry<String, String> type : types.entrySet()) {
            for (String suffix : SUFFIXES.get(type.getValue())) {
                if (sample.equals(type.getKey() + suffix)) {
                    return type.getKey();
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int number) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!label.find(at) || label.start() != at) {
                throw new AssertionError("line " + number + ": bad labels: {" + text + "}");
            }
            if (labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                    .replace("\\\\", "\\")) != null) {
                throw new AssertionError("line " + number + ": label " + label.group(1) + " twice");
            }
            at = label.end();
        }
        return labels;
    }

    String type(String family) {
        return types.get(family);
    }

    /** The value of the one sample with this name and these labels (others ignored), or null. */
    Double value(String name, Map<String, String> labels) {
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples match " + name + labels + ": " + found);
        }
        return found.isEmpty() ? null : found.get(0).value();
    }

    /** Like {@link #value} but 0 for a series not shown yet (a counter before its first event). */
    double counter(String name, Map<String, String> labels) {
        Double value = value(name, labels);
        return value == null ? 0 : value;
    }

    List<Sample> samples() {
        return samples;
    }
}
