package io.backuphub.fanout.storage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.backuphub.ops.health.StorageProbe;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Readiness of an {@code s3://bucket/prefix} target ({@code s3StorageProbe} in the registry, found by the
 * storage health check): a small object is written under the target's prefix and removed again, through the
 * same camel-aws2-s3 component (endpoint, region, credentials) the fan-out copies with. A failure becomes one
 * line an operator can act on: no stack trace, no key or secret.
 */
public class S3StorageProbe implements StorageProbe {

    private static final String SCHEME = "s3://";
    private static final byte[] CONTENT = "backup hub readiness probe".getBytes(StandardCharsets.UTF_8);

    private final CamelContext context;
    private volatile ProducerTemplate producer;

    public S3StorageProbe(CamelContext context) {
        this.context = context;
    }

    @Override
    public boolean supports(String targetUri) {
        return targetUri.trim().startsWith(SCHEME);
    }

    @Override
    public void probe(String targetUri) throws StorageUnavailableException {
        StorageTarget target = StorageTarget.parse(targetUri);
        String key = target.objectKey(".hub-readiness-" + UUID.randomUUID());
        call(target, "putObject", key, CONTENT);
        call(target, "deleteObject", key, null);
    }

    private void call(StorageTarget target, String operation, String key, byte[] body) throws StorageUnavailableException {
        // no operation is the producer's upload (putObject)
        String uri = "aws2-s3://" + target.bucket() + (operation.equals("putObject") ? "" : "?operation=" + operation);
        Exchange done = producer().send(uri, exchange -> {
            exchange.getMessage().setHeader(AWS2S3Constants.KEY, key);
            if (body != null) {
                exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_LENGTH, (long) body.length);
                exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_TYPE, "text/plain");
            }
            exchange.getMessage().setBody(body);
        });
        if (done.getException() != null) {
            throw new StorageUnavailableException(describe(target, operation, done.getException()));
        }
    }

    /** What went wrong, for an operator: the bucket, what S3 answered, and what to check. */
    static String describe(StorageTarget target, String operation, Throwable failure) {
        String bucket = "S3 bucket '" + target.bucket() + "'";
        String doing = operation.equals("putObject") ? "writing a probe object" : "removing the probe object";
        S3Exception s3 = cause(failure, S3Exception.class);
        if (s3 != null) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if ("NoSuchBucket".equals(code) || (status == 404 && operation.equals("putObject"))) {
                return bucket + " does not exist: create it, or correct hub.storage.targets";
            }
            if (status == 401 || status == 403 || "InvalidAccessKeyId".equals(code)
                    || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
                return bucket + " refused the credentials while " + doing + " (" + status
                        + (code == null ? "" : " " + code) + "): check hub.s3.access-key and hub.s3.secret-key "
                        + "(HUB_S3_ACCESS_KEY, HUB_S3_SECRET_KEY) or the instance's role";
            }
            return bucket + " answered " + status + (code == null ? "" : " " + code) + " while " + doing;
        }
        SdkClientException client = cause(failure, SdkClientException.class);
        if (client != null) {
            return bucket + " cannot be reached while " + doing + ": " + firstLine(client.getMessage())
                    + ": check hub.s3.endpoint and hub.s3.region";
        }
        return bucket + ": " + doing + " failed: " + firstLine(String.valueOf(failure.getMessage()));
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String firstLine(String text) {
        int eol = text.indexOf('\n');
        return eol < 0 ? text : text.substring(0, eol);
    }

    private ProducerTemplate producer() {
        ProducerTemplate template = producer;
        if (template == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
                template = producer;
            }
        }
        return template;
    }

    /** A storage target that cannot take a write now, with the reason in one line. */
    public static class StorageUnavailableException extends Exception {
        public StorageUnavailableException(String message) {
            super(message);
        }
    }
}
