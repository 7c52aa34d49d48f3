package io.backuphub.provider.cloud66;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.provider.ProviderSyncErrors;
import org.apache.camel.builder.RouteBuilder;

/**
 * Creates (or changes) the backup task of one database at Cloud66: {@code direct:cloud66-backup-task} with a
 * {@link Cloud66BackupTask} body. Failures propagate to the caller (the API answers with them).
 */
public class Cloud66BackupTaskRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:cloud66-backup-task";
    /** Exchange property with the {@link Cloud66BackupTask} sent, once the route has run. */
    public static final String TASK = "cloud66Task";

    @Override
    public void configure() {
        Cloud66Form.post(from(ENDPOINT).routeId("cloud66-backup-task")
                        .routeConfigurationId(ProviderSyncErrors.ID)
                        .setProperty(TASK, body()), TASK, getContext())
                .unmarshal().json(JsonNode.class)
                .log("source=cloud66 stack=${exchangeProperty." + TASK + ".stackUid()} "
                        + "db_type=${exchangeProperty." + TASK + ".dbType()} backup task set to "
                        + "'${exchangeProperty." + TASK + ".frequency()}'");
    }
}
