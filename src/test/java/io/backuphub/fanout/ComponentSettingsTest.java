package io.backuphub.fanout;

import java.nio.file.Path;

import io.backuphub.TestHub;
import io.backuphub.fanout.notify.SmtpLogin;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.component.aws2.s3.AWS2S3Configuration;
import org.apache.camel.component.aws2.s3.client.AWS2S3ClientFactory;
import org.apache.camel.component.mail.MailComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 and SMTP components take the hub's settings ({@code hub.s3.*}, {@code hub.notify.email.*}) through
 * {@code camel.component.aws2-s3.*} and {@code camel.component.smtp.*}; S3 copies against an S3-compatible server
 * with keys are FanoutStorageTest's, email without a login NotificationTest's.
 */
class ComponentSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutEndpointAndKeysS3IsAwsWithTheDefaultCredentialChainAndTheEmailChannelLogsInAsItsUser() {
        try (TestHub hub = TestHub.on(dataDir)
                .with("hub.s3.region", "eu-central-1")
                .with("hub.s3.force-path-style", "true")
                .with("hub.notify.email.host", "127.0.0.1")
                .with("hub.notify.email.username", "mailer")
                .with("hub.notify.email.password", "mail-password")
                .start()) {
            AWS2S3Configuration s3 = hub.context().getComponent("aws2-s3", AWS2S3Component.class).getConfiguration();
            assertEquals("eu-central-1", s3.getRegion());
            assertTrue(s3.isForcePathStyle());
            try (S3Client client = AWS2S3ClientFactory.getS3Client(s3)) {
                assertEquals(Region.EU_CENTRAL_1, client.serviceClientConfiguration().region());
                assertTrue(client.serviceClientConfiguration().endpointOverride().isEmpty(), "AWS itself");
                assertFalse(client.serviceClientConfiguration().credentialsProvider() instanceof StaticCredentialsProvider,
                        "no keys of the hub's: the AWS default credential chain");
            }

            SmtpLogin login = assertInstanceOf(SmtpLogin.class,
                    hub.context().getComponent("smtp", MailComponent.class).getConfiguration().getAuthenticator());
            assertEquals("mailer", login.getPasswordAuthentication().getUserName());
            assertEquals("mail-password", login.getPasswordAuthentication().getPassword());
        }
    }
}
