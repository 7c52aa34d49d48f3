package io.backuphub.provider.vprotect;

import io.backuphub.provider.Provider;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** Binds the VProtect provider in the registry, where the hub finds its connections' route templates. */
@Configuration
public class VProtectConfiguration implements CamelConfiguration {

    @BindToRegistry("vprotectProvider")
    public Provider vprotectProvider() {
        return new VProtectProvider();
    }
}
