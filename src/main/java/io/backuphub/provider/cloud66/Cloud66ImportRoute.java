package io.backuphub.provider.cloud66;

import java.util.Map;

import io.backuphub.provider.ProviderSyncErrors;
import org.apache.camel.builder.RouteBuilder;

/**
 * Asks Cloud66 to import an external backup: {@code direct:cloud66-import} with a {@link Cloud66Import} body.
 * Same auth, redeliveries and error mapping as every Cloud66 call of the API; failures propagate to the caller.
 * Leaves Cloud66's message in the exchange property {@link #MESSAGE}. The signed URL is never logged.
 */
public class Cloud66ImportRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:cloud66-import";
    /** Exchange property with what Cloud66 answered ("Your external backup queued for upload"). */
    public static final String MESSAGE = "cloud66ImportMessage";
    private static final String IMPORT = "cloud66Import";

    @Override
    public void configure() {
        Cloud66Form.post(from(ENDPOINT).routeId("cloud66-import")
                        .routeConfigurationId(ProviderSyncErrors.ID)
                        .setProperty(IMPORT, body()), IMPORT, getContext())
                .unmarshal().json(Map.class)
                .setProperty(MESSAGE, simple("${body[response][message]}"))
                .log("source=cloud66 stack=${exchangeProperty." + IMPORT + ".stackUid()} "
                        + "db_type=${exchangeProperty." + IMPORT + ".dbType()} group=${exchangeProperty." + IMPORT
                        + ".group()} import requested: ${exchangeProperty." + MESSAGE + "}");
    }
}
