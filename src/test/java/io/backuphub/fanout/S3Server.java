package io.backuphub.fanout;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.backuphub.TestHub;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real S3-compatible server in the test JVM (S3Proxy over jclouds' in-memory "transient" store), with
 * what the tests need to see and steer the storage side: how often each object key was written, and an
 * outage of the next N writes (answered as S3 errors, as a failing bucket would).
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "hub-access";
    public static final String SECRET_KEY = "hub-secret";

    static {
        // AWS SDK >= 2.30 sends checksums S3Proxy does not know; only when an operation requires them
        System.setProperty("aws.requestChecksumCalculation", "when_required");
        System.setProperty("aws.responseChecksumValidation", "when_required");
    }

    private final S3Proxy proxy;
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final AtomicInteger failingWrites = new AtomicInteger();
    private final AtomicInteger failedWrites = new AtomicInteger();
    private final S3Client client;

    public S3Server() {
        BlobStore store = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class).getBlobStore();
        proxy = S3Proxy.builder()
                .blobStore(new Observed(store))
                .endpoint(URI.create("http://127.0.0.1:" + TestHub.freePort()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.onSpinWait();
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        client = S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The hub's S3 settings for this server. */
    public TestHub.Builder configure(TestHub.Builder hub) {
        return hub.with("hub.s3.endpoint", endpoint())
                .with("hub.s3.region", "us-east-1")
                .with("hub.s3.access-key", ACCESS_KEY)
                .with("hub.s3.secret-key", SECRET_KEY)
                .with("hub.s3.force-path-style", "true");
    }

    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(o -> o.key()).sorted().toList();
    }

    public byte[] read(String bucket, String key) {
        return client.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    public Map<String, String> metadata(String bucket, String key) {
        return client.headObject(b -> b.bucket(bucket).key(key)).metadata();
    }

    /** How many times an object was written under this key (upload, multipart completion or copy). */
    public int writesOf(String key) {
        AtomicInteger n = writes.get(key);
        return n == null ? 0 : n.get();
    }

    /** The next {@code n} writes fail as S3 errors. */
    public void failNextWrites(int n) {
        failingWrites.set(n);
    }

    public int failedWrites() {
        return failedWrites.get();
    }

    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }

    /** Counts writes per key and plays the outage, in front of the real store. */
    private final class Observed extends ForwardingBlobStore {

        Observed(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public String putBlob(String container, Blob blob) {
            return putBlob(container, blob, PutOptions.NONE);
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            outage();
            String etag = super.putBlob(container, blob, options);
            written(blob.getMetadata().getName());
            return etag;
        }

        @Override
        public MultipartUpload initiateMultipartUpload(String container, org.jclouds.blobstore.domain.BlobMetadata metadata,
                                                       PutOptions options) {
            outage();
            return super.initiateMultipartUpload(container, metadata, options);
        }

        @Override
        public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
            String etag = super.completeMultipartUpload(upload, parts);
            written(upload.blobName());
            return etag;
        }

        @Override
        public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                               CopyOptions options) {
            outage();
            String etag = super.copyBlob(fromContainer, fromName, toContainer, toName, options);
            written(toName);
            return etag;
        }

        private void outage() {
            if (failingWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failedWrites.incrementAndGet();
                // S3Proxy answers 400 InvalidArgument: an error the SDK does not retry, so the hub's own
                // redelivery is what recovers
                throw new IllegalArgumentException("injected storage outage");
            }
        }

        private void written(String key) {
            writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
    }
}
