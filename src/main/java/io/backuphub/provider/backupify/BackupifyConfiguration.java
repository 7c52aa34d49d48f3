package io.backuphub.provider.backupify;

import io.backuphub.provider.Provider;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** Binds the Backupify provider in the registry, where the hub finds its providers. */
@Configuration
public class BackupifyConfiguration implements CamelConfiguration {

    @BindToRegistry("backupifyProvider")
    public Provider backupifyProvider() {
        return new BackupifyProvider();
    }
}
