package io.backuphub.fanout.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Turns a batch of events of one type (one event, or all that one poll raised) into one message per
 * channel ({@code notifyMessages} in the registry): webhook JSON, Slack text, or an email.
 */
public class NotifyMessages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("https?://\\S+");

    /** One event as itself; several as {@code {"event", "batch": true, "count", "events": [...]}}. */
    public byte[] webhook(List<Map<String, Object>> events) throws JsonProcessingException {
        if (events.size() == 1) {
            return JSON.writeValueAsBytes(events.get(0));
        }
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("event", events.get(0).get("event"));
        batch.put("batch", true);
        batch.put("count", events.size());
        batch.put("events", events);
        return JSON.writeValueAsBytes(batch);
    }

    /** The ids of a message's events, comma separated: the webhook's {@code X-Hub-Event-Id} header. */
    public String eventIds(List<Map<String, Object>> events) {
        return events.stream().map(e -> String.valueOf(e.get("id"))).collect(Collectors.joining(","));
    }

    /** A Slack incoming-webhook body: {@code {"text": ...}} with one line per event. */
    public byte[] slack(List<Map<String, Object>> events) throws JsonProcessingException {
        String text = events.size() == 1 ? line(events.get(0))
                : "*" + events.size() + " × " + events.get(0).get("event") + "*\n" + lines(events);
        return JSON.writeValueAsBytes(Map.of("text", text));
    }

    /** An email: subject with the event (or the count), one line per event in the body. */
    public void email(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = exchange.getMessage().getBody(List.class);
        String subject = events.size() == 1 ? line(events.get(0))
                : events.size() + " × " + events.get(0).get("event");
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader("Subject", "[Backup Hub] " + (subject.length() > 150
                ? subject.substring(0, 150) + "…" : subject));
        exchange.getMessage().setHeader("Content-Type", "text/plain; charset=UTF-8");
        exchange.getMessage().setBody(lines(events) + "\n");
    }

    /** Why a channel gave up, without its address (a Slack URL is itself a secret). */
    public String failure(Exchange exchange) {
        return describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /** One line about a failure, without any address (URLs are replaced by {@code <url>}). */
    public static String describe(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            return "answered HTTP " + http.getStatusCode();
        }
        return failure == null ? "unknown failure"
                : failure.getClass().getSimpleName() + ": " + URL.matcher(String.valueOf(failure.getMessage())).replaceAll("<url>");
    }

    private static String lines(List<Map<String, Object>> events) {
        return events.stream().map(e -> "- " + line(e)).collect(Collectors.joining("\n"));
    }

    /** One human line per event, ending with the event's id. */
    static String line(Map<String, Object> e) {
        String backup = "backup " + e.get("provider_backup_id") + " of " + e.get("backup_instance_name")
                + " (" + e.get("provider") + ")";
        String text = switch (String.valueOf(e.get("event"))) {
            case NotifyEvents.BACKUP_STORED -> "Stored " + backup + ": " + ((List<?>) e.get("copies")).size()
                    + " verified copies";
            case NotifyEvents.BACKUP_FAILED -> "Failed " + backup + (e.get("status_detail") == null ? ""
                    : ": " + e.get("status_detail"));
            case NotifyEvents.COPY_FAILED -> "Copy of " + e.get("record_name") + " (" + backup + ") to "
                    + e.get("target") + " failed: " + e.get("reason");
            case NotifyEvents.PROVIDER_WARNINGS -> "Warnings on " + backup + ": "
                    + String.join("; ", ((List<?>) e.get("warnings")).stream().map(String::valueOf).toList());
            case NotifyEvents.PROVIDER_UNKNOWN_VALUES -> "Values the hub does not know on " + backup + ": "
                    + String.join("; ", ((List<?>) e.get("unknown_values")).stream().map(String::valueOf).toList())
                    + " (status " + e.get("status") + ")";
            case NotifyEvents.INSTANCE_STALE -> "Stale " + e.get("backup_instance_name") + " (" + e.get("provider")
                    + "): no successful backup since " + (e.get("last_backup_at") == null ? "it was added"
                    : e.get("last_backup_at")) + " (frequency " + e.get("backup_frequency") + ")";
            case NotifyEvents.EXPORT_READY -> "Export " + e.get("export_id") + " of " + e.get("backup_instance_name")
                    + " is ready";
            default -> String.valueOf(e.get("event"));
        };
        return text + " [" + e.get("id") + "]";
    }
}
