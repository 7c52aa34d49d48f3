package io.backuphub.provider.backupify;

import java.util.Optional;

import org.apache.camel.CamelContext;

/**
 * One Backupify connection as configured under {@code hub.sources.<name>.}: the upstream's v1 base URL, its
 * credentials (a static bearer {@code token}, or {@code client-id} and {@code client-secret} for the client-credentials
 * grant at {@code token-url}), the schedule, the customer its instances belong to here and the page size.
 */
public record BackupifyConnection(String name, String baseUrl, String token, String clientId, String clientSecret,
                                  String tokenUrl, String schedule, String customer, int pageSize) {

    public static final String PROVIDER = "backupify";

    /** The prefix of a connection's properties. */
    public static String prefix(String name) {
        return "hub.sources." + name + ".";
    }

    public static BackupifyConnection of(CamelContext context, String name) {
        String prefix = prefix(name);
        String baseUrl = trimSlash(property(context, prefix + "base-url").orElseThrow(
                () -> new IllegalArgumentException(prefix + "base-url is not set")));
        return new BackupifyConnection(name, baseUrl,
                property(context, prefix + "token").orElse(null),
                property(context, prefix + "client-id").orElse(null),
                property(context, prefix + "client-secret").orElse(null),
                property(context, prefix + "token-url").orElse(defaultTokenUrl(baseUrl)),
                property(context, prefix + "schedule").orElse("0 0/5 * * * ?"),
                property(context, prefix + "customer").orElse("default"),
                BackupifyPaging.perPage(Integer.parseInt(property(context, prefix + "page-size").orElse("100"))));
    }

    /** Whether the connection uses OAuth client credentials (else its static token). */
    public boolean usesClientCredentials() {
        return (token == null || token.isBlank()) && clientId != null && !clientId.isBlank();
    }

    /** Whether it has a credential at all. */
    public boolean hasCredentials() {
        return (token != null && !token.isBlank()) || (usesClientCredentials() && clientSecret != null
                && !clientSecret.isBlank());
    }

    /** The upstream's token endpoint: {@code /oauth/token} next to its {@code /v1}. */
    static String defaultTokenUrl(String baseUrl) {
        String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
        return root + "/oauth/token";
    }

    private static String trimSlash(String url) {
        String trimmed = url.trim();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static Optional<String> property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    @Override
    public String toString() {
        // never the credentials
        return "BackupifyConnection[" + name + " at " + baseUrl + "]";
    }
}
