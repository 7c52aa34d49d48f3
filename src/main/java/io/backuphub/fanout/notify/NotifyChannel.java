package io.backuphub.fanout.notify;

import java.util.Set;

/**
 * One notification channel as configured: on when its address is set, and the event types it takes
 * ({@code *} = all). Its messages queue on {@code seda:notify-<name>}, so a slow channel never holds up
 * another.
 */
public record NotifyChannel(String name, boolean on, Set<String> events) {

    public boolean takes(String event) {
        return on && (events.contains("*") || events.contains(event));
    }

    public String queue() {
        // never wait for the channel, whoever raised the event
        return "seda:notify-" + name + "?waitForTaskToComplete=Never";
    }
}
