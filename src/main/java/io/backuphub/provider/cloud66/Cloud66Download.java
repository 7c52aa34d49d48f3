package io.backuphub.provider.cloud66;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.DownloadFailedException;
import io.backuphub.fanout.storage.DownloadRefusedException;
import io.backuphub.provider.ProviderFailures;
import org.apache.camel.Exchange;

/**
 * The Cloud66 side of a copy: a file's {@code public_url} (a pre-signed S3 URL) is followed only over
 * http(s) to an allowed host ({@code hub.cloud66.download-hosts}), and its signature never reaches a log
 * or an error message.
 */
public class Cloud66Download {

    private final List<Pattern> allowedHosts;
    /** The property that lists the allowed hosts, named when a host is refused. */
    private final String property;

    /** @param allowedHosts host names, where {@code *} stands for any run of characters ({@code *.s3.amazonaws.com}) */
    public Cloud66Download(List<String> allowedHosts) {
        this(allowedHosts, "hub.cloud66.download-hosts");
    }

    /** The download of a connection whose allowed hosts are the property {@code property}. */
    public Cloud66Download(List<String> allowedHosts, String property) {
        this.property = property;
        this.allowedHosts = allowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> Pattern.compile(Pattern.quote(h.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q")))
                .toList();
    }

    /**
     * Reads {@code public_url} from the API's answer, checks it, and makes it the next HTTP call's URI
     * (with no other header: the API token must not travel to the storage host).
     */
    public void prepare(Exchange exchange) {
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        String url = answer == null ? "" : answer.path("response").path("public_url").asText("");
        URI uri = check(url);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, uri.toString());
        // backup files are copied byte for byte, never unpacked on the way
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, true);
    }

    /** A usable download URI, or a clear refusal that names the host but not the signature. */
    public URI check(String publicUrl) {
        if (publicUrl == null || publicUrl.isBlank()) {
            throw new DownloadRefusedException("Cloud66 gave no public_url for the file");
        }
        // the API double-encodes the signature (%252F) and its own client undoes that; only the query is
        // touched here, so a '%' in an object name (encoded as %25 in the path) stays what it is
        int query = publicUrl.indexOf('?');
        String url = query < 0 ? publicUrl
                : publicUrl.substring(0, query) + publicUrl.substring(query).replace("%25", "%");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new DownloadRefusedException("Cloud66 gave a public_url that is not a URL: "
                    + ProviderFailures.withoutQuery(url));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new DownloadRefusedException("public_url scheme '" + scheme + "' is not http or https");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.stream().noneMatch(p -> p.matcher(host).matches())) {
            throw new DownloadRefusedException("public_url host '" + host
                    + "' is not in " + property);
        }
        return uri;
    }

    /** After the download call: a 2xx answer streams on (with its announced size); anything else fails. */
    public void opened(Exchange exchange) throws IOException {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String where = ProviderFailures.withoutQuery(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class));
        if (status < 200 || status >= 300) {
            Object body = exchange.getMessage().getBody();
            if (body instanceof InputStream in) {
                in.close();
            }
            throw new DownloadFailedException("download from " + where + " answered " + status);
        }
        Long length = exchange.getMessage().getHeader("Content-Length", Long.class);
        exchange.setProperty(CopySteps.DECLARED_SIZE, length != null && length >= 0 ? length : null);
    }
}
