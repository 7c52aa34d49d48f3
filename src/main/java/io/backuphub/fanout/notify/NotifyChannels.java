package io.backuphub.fanout.notify;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Which events go to which channel ({@code notifyChannels} in the registry), from {@code hub.notify.*}:
 * webhook ({@code .webhook.url}), Slack ({@code .slack.url}) and email ({@code .email.host}); a channel
 * without its address is off; {@code .<channel>.events} lists the event types it takes.
 */
public class NotifyChannels {

    private final List<NotifyChannel> channels;

    public NotifyChannels(List<NotifyChannel> channels) {
        this.channels = List.copyOf(channels);
    }

    /** Reads the channels from properties ({@code property} resolves a key, "" when it is not set). */
    public static NotifyChannels fromProperties(UnaryOperator<String> property) {
        return new NotifyChannels(List.of(
                channel("webhook", property.apply("hub.notify.webhook.url"), property),
                channel("slack", property.apply("hub.notify.slack.url"), property),
                channel("email", property.apply("hub.notify.email.host"), property)));
    }

    private static NotifyChannel channel(String name, String address, UnaryOperator<String> property) {
        Set<String> events = Arrays.stream(property.apply("hub.notify." + name + ".events").split(","))
                .map(String::trim).filter(e -> !e.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String event : events) {
            if (!event.equals("*") && !NotifyEvents.TYPES.contains(event)) {
                throw new IllegalArgumentException("hub.notify." + name + ".events: unknown event '" + event
                        + "' (expected * or some of " + NotifyEvents.TYPES + ")");
            }
        }
        return new NotifyChannel(name, address != null && !address.isBlank(), events);
    }

    /** The names of the channels that take events of this type: each gets its own delivery in the outbox. */
    public List<String> takers(String type) {
        return channels.stream().filter(c -> c.takes(type)).map(NotifyChannel::name).toList();
    }

    /** A channel by name (webhook, slack, email). */
    public NotifyChannel channel(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no notification channel '" + name + "'"));
    }
}
