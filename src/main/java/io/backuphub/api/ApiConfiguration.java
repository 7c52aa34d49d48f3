package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.backuphub.catalog.Catalog;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the v1 API shares with other routes: the JSON format ({@code apiJsonFormat}: snake_case, ISO-8601
 * UTC), the clients ({@code apiClients}), the catalog's read side ({@code catalogQueries}), the instance log
 * ({@code instanceLog}, used by routes/backup-events.yaml), the signer of tokens and links ({@code apiSigner}) and
 * the maker of the OpenAPI document ({@code apiDocumentFactory}).
 */
public class ApiConfiguration implements CamelConfiguration {

    public static final String JSON_FORMAT = "apiJsonFormat";
    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Catalog catalog = context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
        ObjectMapper json = objectMapper();
        HmacSigner signer = new HmacSigner(signingKey(context));
        Clock clock = Clock.systemUTC();

        JacksonDataFormat format = new JacksonDataFormat(json, Object.class);
        context.getRegistry().bind(JSON_FORMAT, format);
        context.getRegistry().bind("apiDocumentFactory", new ApiDocumentFactory());
        context.getRegistry().bind("apiJson", json);
        context.getRegistry().bind("apiSigner", signer);
        context.getRegistry().bind("catalogQueries", new CatalogQueries(catalog.dataSource(), json));
        context.getRegistry().bind(InstanceLog.BEAN, new InstanceLog(catalog, clock));
        context.getRegistry().bind("apiClients", new ApiClients(
                property(context, "hub.api.clients"), property(context, "hub.api.oauth-clients"), signer,
                Duration.ofSeconds(Long.parseLong(property(context, "hub.api.token-ttl-seconds"))), clock));
    }

    /** The API's JSON: snake_case names, ISO-8601 UTC timestamps, nulls kept so every object has every field. */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** {@code hub.api.secret}; without one a random key for this run (tokens and links die with it). */
    private static byte[] signingKey(CamelContext context) {
        String configured = property(context, "hub.api.secret");
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

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
    }
}
