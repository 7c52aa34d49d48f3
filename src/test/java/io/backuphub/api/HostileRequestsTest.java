package io.backuphub.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of hostile and malformed requests (src/test/resources/hostile-requests/) against every operation of
 * the API: each variation of variations.txt applied to each operation of operations.txt, plus the raw requests of
 * raw.txt, sent over a plain socket. None is answered with a 5xx; every error is the API's JSON error body with
 * {@code Content-Type: application/json}; what a variation expects (a status, or the plain request's answer) holds;
 * and none of them writes an ERROR line to the hub's log.
 */
class HostileRequestsTest {

    private static final String CORPUS = "/hostile-requests/";
    private static final Pattern REPEAT = Pattern.compile("\\{repeat:(.):(\\d+)}");
    private static final Pattern IDS = Pattern.compile("\\{(customer|instance|absent|backup|record|export)}");

    @TempDir
    Path dataDir;

    record Operation(String method, String path) {
        boolean hasIds() {
            return IDS.matcher(path).find();
        }
    }

    record Variation(String name, String method, String target, String headers, String body, String expected) {
    }

    @Test
    void hostileRequestsToEveryOperationAreAnsweredWithoutA5xxAndEveryErrorIsTheJsonErrorBody() {
        List<Operation> operations = lines("operations.txt").stream()
                .map(l -> l.split(" ", 2)).map(p -> new Operation(p[0], p[1])).toList();
        List<Variation> variations = lines("variations.txt").stream().map(l -> {
            String[] f = l.split("\\|", -1);
            assertEquals(6, f.length, l);
            return new Variation(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim(), f[4].trim(), f[5].trim());
        }).toList();
        List<String> raws = lines("raw.txt");

        try (ApiFixture f = new ApiFixture(dataDir)) {
            RawHttp http = RawHttp.of(f);
            long instance = f.shopDb();
            long backup = f.hub.count("SELECT MAX(id) FROM backups WHERE backup_instance_id = " + instance);
            Map<String, String> values = Map.of(
                    "{customer}", Long.toString(f.hub.count("SELECT id FROM customers WHERE name = 'acme'")),
                    "{instance}", Long.toString(instance),
                    "{absent}", "987654",
                    "{backup}", Long.toString(backup),
                    "{record}", Long.toString(f.hub.count("SELECT MAX(id) FROM records WHERE backup_instance_id = "
                            + instance + " AND endpoint_name = 'files'")),
                    "{export}", "987653",
                    "{definition}", "cloud66-mysql",
                    "{endpoint}", "files");

            List<String> problems = new ArrayList<>();
            int sent = 0;
            try (CapturedLogs logs = CapturedLogs.start()) {
                for (Operation operation : operations) {
                    Integer plainStatus = null;
                    for (Variation variation : variations) {
                        String method = variation.method().equals("*") ? operation.method() : variation.method();
                        String target = target(variation.target(), operation.path(), values);
                        String what = variation.name() + ": " + method + " " + operation.path();
                        RawHttp.Answer answer;
                        try {
                            answer = http.send(method, target, headers(variation.headers()),
                                    variation.body().isEmpty() ? null : expand(variation.body())
                                            .getBytes(StandardCharsets.UTF_8));
                        } catch (UncheckedIOException e) {
                            problems.add(what + " -> no answer: " + e.getMessage());
                            continue;
                        }
                        sent++;
                        check(what, method, answer, problems);
                        if (variation.name().equals("plain")) {
                            plainStatus = answer.status();
                        }
                        expect(what, operation, variation.expected(), plainStatus, answer, problems);
                    }
                }
                for (String raw : raws) {
                    boolean mayClose = raw.startsWith("may-close ");
                    String request = expand(mayClose ? raw.substring("may-close ".length()) : raw);
                    String method = request.substring(0, Math.max(0, request.indexOf(' ')));
                    RawHttp.Answer answer;
                    try {
                        answer = http.raw(method, request.getBytes(StandardCharsets.UTF_8));
                    } catch (UncheckedIOException e) {
                        if (!mayClose) {
                            problems.add("raw " + raw + " -> no answer: " + e.getMessage());
                        }
                        continue;
                    }
                    sent++;
                    check("raw " + raw, method, answer, problems);
                }
                List<String> errors = logs.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
                errors.forEach(e -> problems.add("logged: " + e));
            }
            assertTrue(sent >= 150, "only " + sent + " requests were sent");
            assertEquals(List.of(), problems, problems.size() + " problems in " + sent + " requests");
        }
    }

    /** No 5xx; an error is JSON {"error":{"code","message"}} (a HEAD answer has no body to check). */
    private static void check(String what, String method, RawHttp.Answer answer, List<String> problems) {
        if (answer.status() >= 500) {
            problems.add(what + " -> " + answer);
            return;
        }
        if (answer.status() < 400) {
            return;
        }
        String type = answer.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            problems.add(what + " -> not JSON: " + answer);
            return;
        }
        if (method.equals("HEAD")) {
            return;
        }
        JsonNode error = answer.json() == null ? null : answer.json().get("error");
        if (error == null || !error.path("code").isTextual() || !error.path("message").isTextual()
                || answer.json().size() != 1) {
            problems.add(what + " -> not the error body: " + answer);
        }
    }

    private static void expect(String what, Operation operation, String expected, Integer plainStatus,
            RawHttp.Answer answer, List<String> problems) {
        Integer status;
        if (expected.equals("any")) {
            return;
        } else if (expected.equals("same-for-get")) {
            status = operation.method().equals("GET") ? plainStatus : null;
        } else if (expected.startsWith("ids:")) {
            status = operation.hasIds() ? Integer.valueOf(expected.substring(4)) : plainStatus;
        } else {
            status = Integer.valueOf(expected);
        }
        if (status != null && answer.status() != status) {
            problems.add(what + " -> expected " + status + ": " + answer);
        }
        if (expected.startsWith("ids:") && operation.hasIds() && !"invalid_parameter".equals(answer.errorCode())) {
            problems.add(what + " -> expected invalid_parameter: " + answer);
        }
    }

    private static String target(String template, String path, Map<String, String> values) {
        String target = template;
        int colon = target.indexOf("{path:");
        if (colon >= 0) {
            int end = target.indexOf('}', colon);
            String id = target.substring(colon + 6, end);
            target = target.substring(0, colon) + IDS.matcher(path).replaceAll(Matcher.quoteReplacement(id))
                    + target.substring(end + 1);
        } else {
            target = target.replace("{path}", path);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            target = target.replace(value.getKey(), value.getValue());
        }
        return expand(target);
    }

    private static Map<String, String> headers(String spec) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec.isEmpty()) {
            return headers;
        }
        for (String header : spec.split(";;")) {
            if (header.trim().equals("{auth}")) {
                headers.put("Authorization", ApiFixture.bearer(ApiFixture.ADMIN));
                continue;
            }
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim(), expand(header.substring(colon + 1).trim()));
        }
        return headers;
    }

    /** The corpus escapes: {repeat:c:n}, \0, \r, \n, \t, \\ and backslash-u with four hex digits. */
    static String expand(String text) {
        Matcher repeat = REPEAT.matcher(text);
        StringBuilder repeated = new StringBuilder();
        while (repeat.find()) {
            repeat.appendReplacement(repeated, Matcher.quoteReplacement(
                    repeat.group(1).repeat(Integer.parseInt(repeat.group(2)))));
        }
        repeat.appendTail(repeated);
        String in = repeated.toString();
        StringBuilder out = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c != '\\' || i + 1 == in.length()) {
                out.append(c);
                continue;
            }
            char next = in.charAt(++i);
            switch (next) {
                case '0' -> out.append('\0');
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'u' -> {
                    out.append((char) Integer.parseInt(in.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }

    private static List<String> lines(String name) {
        try (InputStream in = HostileRequestsTest.class.getResourceAsStream(CORPUS + name)) {
            if (in == null) {
                throw new IllegalStateException("no corpus file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
