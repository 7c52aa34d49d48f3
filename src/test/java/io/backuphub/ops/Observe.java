package io.backuphub.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;

/** Reads a running hub's observability endpoints over real HTTP on loopback. */
final class Observe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Observe() {
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** One check of a health answer, by name. */
        JsonNode check(String name) {
            for (JsonNode check : json().path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
            throw new AssertionError("no health check " + name + " in " + body);
        }

        /** A check's message as an operator reads it (Camel's health JSON escapes '/' twice). */
        String message(String check) {
            return check(check).path("message").asText().replace("\\/", "/");
        }
    }

    static Response get(TestHub hub, String path) {
        int port = Integer.parseInt(hub.context().resolvePropertyPlaceholders("{{hub.api.port}}"));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
