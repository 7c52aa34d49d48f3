package io.backuphub.fanout.notify;

import java.util.Set;

/**
 * One notification channel as configured: on when its address is set, and the event types it takes
 * ({@code *} = all). Its deliveries wait in the outbox ({@code notification_deliveries}) and leave through its
 * own route, so a slow channel never holds up another.
 */
public record NotifyChannel(String name, boolean on, Set<String> events) {

    public boolean takes(String event) {
        return on && (events.contains("*") || events.contains(event));
    }

    /** The route that sends one message of this channel (routes/notify.yaml). */
    public String sendUri() {
        return "direct:notify-" + name + "-send";
    }
}
