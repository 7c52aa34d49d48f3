package io.backuphub.api;

import java.nio.ByteBuffer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of an API operation: the body as the API's JSON ({@code apiJson}), with
 * {@code Content-Type: application/json}. What {@code marshal().custom("apiJsonFormat")} writes, with one writer made
 * once, and in the form platform-http sends at once: the marshal step builds an output stream per exchange (which
 * looks the route up among all of the context's routes), and platform-http sends a {@code byte[]} body as a stream,
 * read on a worker thread chunk by chunk, where a {@link ByteBuffer} is written in one go on the event loop.
 */
final class JsonReply implements Processor {

    static final String CONTENT_TYPE = "application/json";

    private final ObjectWriter writer;

    JsonReply(ObjectMapper json) {
        this.writer = json.writer();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        message.setBody(ByteBuffer.wrap(writer.writeValueAsBytes(message.getBody())));
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
    }
}
