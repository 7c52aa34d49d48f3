package io.backuphub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing (Jazzer, bounded in time; see the surefire "fuzz" execution) of the API's request parsing: ids, dates,
 * flags, paging, byte ranges and request bodies answer anything with a value or an {@link ApiException} whose
 * status is a 4xx, never another exception (which would be a 500).
 */
@Tag("fuzz")
class RequestParsingFuzzTest {

    private static final CamelContext CONTEXT = new DefaultCamelContext();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-www-form-urlencoded",
            "text/plain", "application/json; charset=utf-8", "APPLICATION/X-WWW-FORM-URLENCODED; charset=ISO-8859-1");
    private static final List<String> FIELDS = List.of("backup_instance[backup_frequency]", "backup_instance[name]",
            "export[export_formats]", "export[export_datetime]", "force_full", "name", "a[b][c]", "");

    static {
        CONTEXT.start();
    }

    @FuzzTest(maxDuration = "20s")
    void requestParsingAnswersAValueOrA4xxApiException(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 5);
        try {
            switch (which) {
                case 0 -> assertTrue(Params.id("id", text(data)) > 0);
                case 1 -> Params.date("export_datetime", text(data));
                case 2 -> Params.flag("force_full", text(data));
                case 3 -> {
                    PageRequest page = PageRequest.of(text(data), text(data));
                    assertTrue(page.page() >= 1 && page.perPage() >= 1 && page.perPage() <= PageRequest.MAX_PER_PAGE
                            && page.offset() >= 0, page.toString());
                }
                case 4 -> {
                    // a file's size, never negative: the sign bit cleared, as Jazzer's consumeLong(0, Long.MAX_VALUE)
                    // can answer a negative number (found by this test: "ByteRange[...] of -6799976246779207263")
                    long size = data.consumeBoolean() ? data.consumeLong(0, 4096) : data.consumeLong() & Long.MAX_VALUE;
                    ByteRange range = ByteRange.parse(text(data), size);
                    assertTrue(range == null || (0 <= range.start() && range.start() <= range.end() && range.end() < size),
                            range + " of " + size);
                }
                default -> fields(data);
            }
        } catch (ApiException e) {
            assertTrue(e.status() >= 400 && e.status() < 500, "a client error, not " + e.status() + ": " + e.getMessage());
        }
    }

    private static void fields(FuzzedDataProvider data) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        if (data.consumeInt(0, 4) == 0) {
            Map<String, Object> form = new LinkedHashMap<>();
            for (int i = data.consumeInt(0, 3); i > 0; i--) {
                form.put(data.consumeString(20), data.consumeBoolean() ? data.consumeString(20)
                        : List.of(data.consumeString(20)));
            }
            exchange.getMessage().setBody(form);
        } else {
            if (data.consumeBoolean()) {
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, data.consumeBoolean()
                        ? CONTENT_TYPES.get(data.consumeInt(0, CONTENT_TYPES.size() - 1)) : data.consumeString(40));
            }
            exchange.getMessage().setBody(data.consumeBoolean() ? data.consumeString(4000) : null);
        }
        RequestFields fields = RequestFields.of(exchange, JSON);
        String name = data.consumeBoolean() ? FIELDS.get(data.consumeInt(0, FIELDS.size() - 1)) : data.consumeString(30);
        fields.get(name);
        fields.required(name);
    }

    /** Fuzz text, sometimes null (a parameter the request left out). */
    private static String text(FuzzedDataProvider data) {
        return data.consumeInt(0, 15) == 0 ? null : data.consumeString(120);
    }
}
