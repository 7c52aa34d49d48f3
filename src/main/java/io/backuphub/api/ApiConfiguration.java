package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.backuphub.catalog.Catalog;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the v1 API shares with other routes: the JSON format ({@code apiJsonFormat}: snake_case, ISO-8601
 * UTC), the clients ({@code apiClients}), the catalog's read side ({@code catalogQueries}), the instance log
 * ({@code instanceLog}, used by routes/backup-events.yaml), the signer of tokens and links ({@code apiSigner}) and
 * the maker of the OpenAPI document ({@code apiDocumentFactory}). Lazily, as the catalog's beans are.
 */
@Configuration
public class ApiConfiguration implements CamelConfiguration {

    public static final String JSON_FORMAT = "apiJsonFormat";
    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    @BindToRegistry(value = "apiJson", lazy = true)
    public ObjectMapper apiJson() {
        return objectMapper();
    }

    @BindToRegistry(value = JSON_FORMAT, lazy = true)
    public JacksonDataFormat apiJsonFormat(@BeanInject("apiJson") ObjectMapper json) {
        return new JacksonDataFormat(json, Object.class);
    }

    @BindToRegistry(value = "apiDocumentFactory", lazy = true)
    public ApiDocumentFactory apiDocumentFactory() {
        return new ApiDocumentFactory();
    }

    /** Signs OAuth tokens and export links with {@code hub.api.secret}; without one with a random key for this run. */
    @BindToRegistry(value = "apiSigner", lazy = true)
    public HmacSigner apiSigner(@PropertyInject("{{hub.api.secret:}}") String secret) {
        return new HmacSigner(signingKey(secret.trim()));
    }

    @BindToRegistry(value = "catalogQueries", lazy = true)
    public CatalogQueries catalogQueries(@BeanInject("catalog") Catalog catalog,
            @BeanInject("apiJson") ObjectMapper json) {
        return new CatalogQueries(catalog, json);
    }

    @BindToRegistry(value = InstanceLog.BEAN, lazy = true)
    public InstanceLog instanceLog(@BeanInject("catalog") Catalog catalog) {
        return new InstanceLog(catalog, Clock.systemUTC());
    }

    @BindToRegistry(value = "apiClients", lazy = true)
    public ApiClients apiClients(@PropertyInject("{{hub.api.clients:}}") String clients,
            @PropertyInject("{{hub.api.oauth-clients:}}") String oauthClients,
            @PropertyInject("hub.api.token-ttl-seconds") long tokenTtlSeconds,
            @BeanInject("apiSigner") HmacSigner signer) {
        return new ApiClients(clients.trim(), oauthClients.trim(), signer, Duration.ofSeconds(tokenTtlSeconds),
                Clock.systemUTC());
    }

    /** The clients and the signing key are read at start-up: a wrong {@code hub.api.secret} stops the hub at once. */
    @Override
    public void configure(CamelContext context) {
        context.getRegistry().lookupByNameAndType("apiClients", ApiClients.class);
    }

    /** The API's JSON: snake_case names, ISO-8601 UTC timestamps, nulls kept so every object has every field. */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                // after the JavaTimeModule, so its serializer of instants is this one (the same text, written faster)
                .registerModule(new SimpleModule("api-instants").addSerializer(Instant.class,
                        new IsoInstants.Serializer()))
                .registerModule(ListItemSerializers.module())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static byte[] signingKey(String configured) {
        if (!configured.isBlank()) {
            if (configured.length() < 16) {
                throw new IllegalArgumentException("hub.api.secret must have at least 16 characters");
            }
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        LOG.warn("hub.api.secret is not set: OAuth tokens and export links are signed with a random key that "
                + "changes on restart and differs between nodes; set it (HUB_API_SECRET) to at least 16 characters");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
