package io.backuphub.fanout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.backuphub.TestHub;
import io.backuphub.fanout.notify.WebhookSigner;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.vprotect.WarningAcknowledgement;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events raised by the real hub over the simulators reach a webhook receiver (HMAC checked), a Slack
 * receiver and an SMTP server (GreenMail), all on loopback, each exactly once.
 */
class NotificationTest {

    private static final String SECRET = "webhook-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("\\[([a-z]+\\.[a-z]+:[^\\]]+)\\]");

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    @Test
    void eachEventReachesEachConfiguredChannelOnce() throws Exception {
        String warnedGuid = SimulatedProviders.vprotectGuid(0);
        providers.vprotect.backup(warnedGuid).setWarnings(List.of("Snapshot of disk1 was not consistent"));
        GreenMail mail = new GreenMail(new ServerSetup(TestHub.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try (Receiver webhook = new Receiver(); Receiver slack = new Receiver();
             TestHub hub = providers.hubOn(dataDir)
                     .with("hub.storage.targets", "file:" + dataDir.resolve("storage"))
                     .with("hub.cloud66.download-hosts", "127.0.0.1")
                     .with("hub.notify.webhook.url", webhook.url("/hooks/backup"))
                     .with("hub.notify.webhook.secret", SECRET)
                     .with("hub.notify.slack.url", slack.url("/services/T0/B0/secret"))
                     .with("hub.notify.email.host", "127.0.0.1")
                     .with("hub.notify.email.port", String.valueOf(mail.getSmtp().getPort()))
                     .with("hub.notify.email.to", "ops@example.com")
                     .with("hub.vprotect.acknowledge-warnings", "true")
                     .start()) {
            webhook.refuseNext(2); // the webhook fails twice: its own retry delivers, the others go on

            hub.sync("cloud66");
            hub.sync("vprotect");
            Fanout.run(hub);
            long instance = hub.count("SELECT MIN(id) FROM backup_instances");
            try (var c = hub.catalog().dataSource().getConnection();
                 var ps = c.prepareStatement("UPDATE backup_instances SET backup_frequency = 'hourly', last_backup_at = ? WHERE id = ?")) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusHours(3));
                ps.setLong(2, instance);
                ps.executeUpdate();
            }
            hub.context().createProducerTemplate().sendBody("direct:notify-stale-instances", null);

            Set<String> raised = new TreeSet<>(hub.rows("SELECT event_key FROM notifications").stream()
                    .map(r -> (String) r.get("event_key")).toList());
            assertTrue(raised.contains("provider.warnings:" + backupId(hub, warnedGuid)), raised.toString());
            assertTrue(raised.contains("instance.stale:" + instance + ":" + lastBackupMillis(hub, instance)), raised.toString());
            assertTrue(raised.stream().anyMatch(k -> k.startsWith("backup.failed:")));
            assertTrue(raised.stream().anyMatch(k -> k.startsWith("backup.stored:")));
            assertAllDeliveredOnce(raised, webhook, slack, mail);
            assertEquals(2, webhook.refused());
            assertTrue(webhook.posts().size() < raised.size(), "events of one poll are batched");
            for (Receiver.Post post : webhook.posts()) {
                assertEquals("sha256=" + WebhookSigner.hmac(SECRET.getBytes(StandardCharsets.UTF_8), post.body()),
                        post.signature(), "the body is signed");
            }
            assertEquals(List.of(new WarningAcknowledgement(warnedGuid, true)), providers.vprotect.acknowledgedWarnings(),
                    "the warnings were acknowledged back once");

            // polling again raises nothing new; a new failed backup is the only next event
            hub.sync("cloud66");
            hub.sync("vprotect");
            Fanout.run(hub);
            hub.context().createProducerTemplate().sendBody("direct:notify-stale-instances", null);
            providers.cloud66.addBackup("stk-a", 999, "mysql", "shop_db", Instant.now(), 1, 0);
            hub.sync("cloud66");
            raised.add("backup.failed:" + backupId(hub, "999"));
            assertEquals(raised, new TreeSet<>(hub.rows("SELECT event_key FROM notifications").stream()
                    .map(r -> (String) r.get("event_key")).toList()));
            assertAllDeliveredOnce(raised, webhook, slack, mail);
            assertEquals(1, providers.vprotect.acknowledgedWarnings().size());
        } finally {
            mail.stop();
        }
    }

    @Test
    void aWebhookReceiverThatFailsThenRecoversGetsEveryEventExactlyOncePerEventId() throws Exception {
        try (Receiver webhook = new Receiver();
             TestHub hub = providers.hubOn(dataDir)
                     .with("hub.notify.webhook.url", webhook.url("/hooks/backup?token=s3cret"))
                     .with("hub.notify.max-redeliveries", "1")
                     .with("hub.notify.outbox-poll-ms", "200")
                     .start()) {
            // down for longer than the channel's own retries: the outbox keeps the events and sends them again
            webhook.refuseNext(6);
            hub.sync("cloud66");
            hub.sync("vprotect");
            Set<String> raised = new TreeSet<>(hub.rows("SELECT event_key FROM notifications").stream()
                    .map(r -> (String) r.get("event_key")).toList());
            assertTrue(raised.size() > 5, raised.toString());

            await().atMost(Duration.ofSeconds(60)).until(() -> new TreeSet<>(webhookIds(webhook)).equals(raised));
            Thread.sleep(1000); // nothing else arrives
            assertEquals(raised.size(), webhookIds(webhook).size(), "every event exactly once");
            assertEquals(6, webhook.refused());
            for (Receiver.Post post : webhook.posts()) {
                assertEquals(String.join(",", idsOf(post)), post.eventIds(), "X-Hub-Event-Id names the events of the post");
            }
            assertEquals(0, hub.count("SELECT COUNT(*) FROM notification_deliveries WHERE status <> 'delivered'"));
            assertEquals(raised.size(), hub.count("SELECT COUNT(*) FROM notification_deliveries WHERE channel = 'webhook'"));
            assertTrue(hub.count("SELECT MAX(attempts) FROM notification_deliveries") > 1, "some were sent again");
            for (var row : hub.rows("SELECT last_error FROM notification_deliveries WHERE last_error IS NOT NULL")) {
                assertTrue(!String.valueOf(row.get("last_error")).contains("s3cret"), "no address in " + row);
            }
        }
    }

    private static List<String> idsOf(Receiver.Post post) throws Exception {
        JsonNode body = JSON.readTree(post.body());
        List<String> ids = new ArrayList<>();
        if (body.has("events")) {
            body.get("events").forEach(e -> ids.add(e.get("id").asText()));
        } else {
            ids.add(body.get("id").asText());
        }
        return ids;
    }

    private static void assertAllDeliveredOnce(Set<String> raised, Receiver webhook, Receiver slack, GreenMail mail)
            throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> new TreeSet<>(webhookIds(webhook)).equals(raised)
                && new TreeSet<>(slackIds(slack)).equals(raised) && new TreeSet<>(mailIds(mail)).equals(raised));
        assertEquals(raised.size(), webhookIds(webhook).size(), "webhook: no event twice");
        assertEquals(raised.size(), slackIds(slack).size(), "slack: no event twice");
        assertEquals(raised.size(), mailIds(mail).size(), "email: no event twice");
    }

    private static List<String> webhookIds(Receiver webhook) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Receiver.Post post : webhook.posts()) {
            JsonNode body = JSON.readTree(post.body());
            if (body.has("events")) {
                body.get("events").forEach(e -> ids.add(e.get("id").asText()));
            } else {
                ids.add(body.get("id").asText());
            }
        }
        return ids;
    }

    private static List<String> slackIds(Receiver slack) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Receiver.Post post : slack.posts()) {
            ids.addAll(idsIn(JSON.readTree(post.body()).get("text").asText()));
        }
        return ids;
    }

    private static List<String> mailIds(GreenMail mail) throws Exception {
        List<String> ids = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            assertNotNull(message.getSubject());
            ids.addAll(idsIn(String.valueOf(message.getContent())));
        }
        return ids;
    }

    private static List<String> idsIn(String text) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static long backupId(TestHub hub, String providerBackupId) {
        return hub.count("SELECT id FROM backups WHERE provider_backup_id = '" + providerBackupId + "'");
    }

    private static long lastBackupMillis(TestHub hub, long instance) {
        return ((OffsetDateTime) hub.rows("SELECT last_backup_at FROM backup_instances WHERE id = " + instance)
                .get(0).get("last_backup_at")).toInstant().toEpochMilli();
    }
}
