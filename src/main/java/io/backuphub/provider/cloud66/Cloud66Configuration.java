package io.backuphub.provider.cloud66;

import io.backuphub.provider.Provider;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** Binds the Cloud66 provider in the registry, where the hub finds its connections' route templates. */
@Configuration
public class Cloud66Configuration implements CamelConfiguration {

    @BindToRegistry("cloud66Provider")
    public Provider cloud66Provider() {
        return new Cloud66Provider();
    }
}
