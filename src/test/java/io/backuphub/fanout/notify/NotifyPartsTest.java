package io.backuphub.fanout.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NotifyPartsTest {

    @Test
    void eachChannelTakesTheEventsItIsConfiguredFor() {
        Map<String, String> properties = Map.of(
                "hub.notify.webhook.url", "https://hooks.example.com/backup", "hub.notify.webhook.events", "*",
                "hub.notify.slack.url", "https://hooks.slack.com/services/T/B/x",
                "hub.notify.slack.events", "backup.failed, copy.failed",
                "hub.notify.email.host", "", "hub.notify.email.events", "*");
        NotifyChannels channels = NotifyChannels.fromProperties(k -> properties.getOrDefault(k, ""));
        assertEquals(List.of("webhook", "slack"), channels.takers("backup.failed"));
        assertEquals(List.of("webhook"), channels.takers("backup.stored"));
        assertEquals("direct:notify-webhook-send", channels.channel("webhook").sendUri());
    }

    @Test
    void anUnknownEventTypeIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> NotifyChannels.fromProperties(
                k -> k.equals("hub.notify.slack.events") ? "backup.done" : ""));
    }

    @Test
    void staleMeansTwiceTheFrequencyAndManualIsNeverStale() {
        assertEquals(Optional.of(Duration.ofHours(1)), StaleInstances.interval("hourly"));
        assertEquals(Optional.of(Duration.ofDays(7)), StaleInstances.interval("weekly"));
        assertEquals(Optional.of(Duration.ofHours(6)), StaleInstances.interval("0 0 0/6 * * ?"));
        assertEquals(Optional.empty(), StaleInstances.interval("manual"));
        assertEquals(Optional.empty(), StaleInstances.interval(null));
        assertEquals(Optional.empty(), StaleInstances.interval("whenever"));
    }

    @Test
    void theWebhookSignatureIsTheHmacOfTheBody() {
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSigner.hmac("Jefe".getBytes(), "what do ya want for nothing?".getBytes()));
    }
}
