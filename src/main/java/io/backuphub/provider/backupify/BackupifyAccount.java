package io.backuphub.provider.backupify;

import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * What the routes of one Backupify connection share while they run: the connection, its mapper and its bearer token
 * (a static {@code token}, or OAuth client credentials {@code client-id} and {@code client-secret} exchanged at
 * {@code token-url}). Made when the connection opens (or on first use) and kept in the registry as
 * {@code <connection>BackupifyAccount}; the routes find it through the connection on the exchange.
 */
public final class BackupifyAccount {

    private final Connection connection;
    private final BackupifyBackupMapper mapper;
    private final BackupifyToken token;
    private final String tokenUrl;

    private BackupifyAccount(Connection connection, BackupifyToken token, String tokenUrl) {
        this.connection = connection;
        this.mapper = new BackupifyBackupMapper(connection.name(), connection.customer());
        this.token = token;
        this.tokenUrl = tokenUrl;
    }

    public static BackupifyAccount of(Exchange exchange) {
        return of(exchange.getContext(), Connections.current(exchange).name());
    }

    public static synchronized BackupifyAccount of(CamelContext context, String name) {
        String bean = name + "BackupifyAccount";
        BackupifyAccount account = context.getRegistry().lookupByNameAndType(bean, BackupifyAccount.class);
        if (account == null) {
            account = create(context, Connections.of(context).connection(name));
            context.getRegistry().bind(bean, account);
        }
        return account;
    }

    private static BackupifyAccount create(CamelContext context, Connection connection) {
        String staticToken = connection.credential(context, BackupifyProvider.TOKEN);
        String clientId = connection.setting(BackupifyProvider.CLIENT_ID);
        String secret = connection.credential(context, BackupifyProvider.CLIENT_SECRET);
        String tokenUrl = connection.setting(BackupifyProvider.TOKEN_URL);
        if (tokenUrl.isBlank()) {
            tokenUrl = defaultTokenUrl(baseUrl(connection));
        }
        BackupifyToken token;
        if (!staticToken.isBlank()) {
            token = BackupifyToken.fixed(staticToken);
        } else if (!clientId.isBlank() && !secret.isBlank()) {
            ProducerTemplate calls = context.createProducerTemplate();
            token = BackupifyToken.clientCredentials(() -> calls.requestBody("direct:" + connection.name() + "-token",
                    null, JsonNode.class), Clock.systemUTC());
        } else {
            throw new IllegalStateException(connection.name() + " has no credentials: set " + connection.property(
                    BackupifyProvider.TOKEN) + ", or " + connection.property(BackupifyProvider.CLIENT_ID) + " and "
                    + connection.property(BackupifyProvider.CLIENT_SECRET));
        }
        return new BackupifyAccount(connection, token, tokenUrl);
    }

    public Connection connection() {
        return connection;
    }

    public BackupifyBackupMapper mapper() {
        return mapper;
    }

    public BackupifyToken token() {
        return token;
    }

    public String tokenUrl() {
        return tokenUrl;
    }

    /** The client-credentials form, read when it is sent (the secret is never kept in a route). */
    public String tokenForm(CamelContext context) {
        return "grant_type=client_credentials&client_id=" + BackupifyTemplates.form(connection.setting(
                BackupifyProvider.CLIENT_ID)) + "&client_secret=" + BackupifyTemplates.form(connection.credential(
                context, BackupifyProvider.CLIENT_SECRET));
    }

    /** The upstream's v1 base URL, without a trailing slash. */
    public static String baseUrl(Connection connection) {
        String url = connection.setting(BackupifyProvider.BASE_URL).trim();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The upstream's token endpoint: {@code /oauth/token} next to its {@code /v1}. */
    static String defaultTokenUrl(String baseUrl) {
        String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
        return root + "/oauth/token";
    }
}
