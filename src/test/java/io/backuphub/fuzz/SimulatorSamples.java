package io.backuphub.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.provider.SimulatedProviders;

/** Real provider JSON as the simulators serve it over HTTP: the starting points of the mappers' fuzzing. */
public final class SimulatorSamples {

    /** Items of Cloud66's {@code GET /stacks/:id/backups}. */
    public static final List<JsonNode> CLOUD66_BACKUPS = new ArrayList<>();
    /** Whole answers of Cloud66's {@code GET /stacks/:id/backups/:id/files}. */
    public static final List<JsonNode> CLOUD66_FILES = new ArrayList<>();
    /** vProtect backups as listed and as their details (one with backup files). */
    public static final List<JsonNode> VPROTECT_BACKUPS = new ArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        try (SimulatedProviders providers = new SimulatedProviders()) {
            String c66 = providers.cloud66.baseUrl();
            String bearer = "Bearer " + SimulatedProviders.TOKEN;
            get(c66 + "/stacks/stk-a/backups?page=1", "Authorization", bearer).path("response").forEach(CLOUD66_BACKUPS::add);
            get(c66 + "/stacks/stk-b/backups?page=1", "Authorization", bearer).path("response").forEach(CLOUD66_BACKUPS::add);
            CLOUD66_FILES.add(get(c66 + "/stacks/stk-a/backups/3/files", "Authorization", bearer));
            CLOUD66_FILES.add(get(c66 + "/stacks/stk-a/backups/4/files", "Authorization", bearer));

            String vp = providers.vprotect.baseUrl();
            HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(vp + "/session/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + SimulatedProviders.USER
                            + "\",\"password\":\"" + SimulatedProviders.PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            get(vp + "/backups?page=0&size=12", "Cookie", cookie).forEach(VPROTECT_BACKUPS::add);
            VPROTECT_BACKUPS.add(get(vp + "/backups/" + SimulatedProviders.vprotectGuid(6), "Cookie", cookie));
            VPROTECT_BACKUPS.add(get(vp + "/backups/" + SimulatedProviders.vprotectGuid(58), "Cookie", cookie));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (CLOUD66_BACKUPS.isEmpty() || CLOUD66_FILES.isEmpty() || VPROTECT_BACKUPS.size() < 3) {
            throw new IllegalStateException("the simulators served no samples");
        }
    }

    private SimulatorSamples() {
    }

    private static JsonNode get(String url, String header, String value) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header(header, value)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
