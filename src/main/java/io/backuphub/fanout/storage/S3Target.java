package io.backuphub.fanout.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * The steps of an {@code s3://} copy that routes/fanout-storage.yaml runs with camel-aws2-s3: a streamed
 * multipart upload to a temporary key, a server-side copy to the final key that sets the verified hash
 * as object metadata, a HEAD of the final object to check size and hash, and removal of the temporary
 * key. The object appears under its final key only complete and verified, as with a file rename.
 */
public class S3Target {

    private static final Logger LOG = LoggerFactory.getLogger(S3Target.class);

    private final CopiesInFlight inFlight;

    public S3Target(CopiesInFlight inFlight) {
        this.inFlight = inFlight;
    }

    /** User metadata on every stored object: the SHA-256 of its content and the catalog record it holds. */
    public static final String SHA256_METADATA = "hub-sha256";
    public static final String RECORD_METADATA = "hub-record";

    /** Exchange properties of an S3 copy in flight. */
    public static final String BUCKET = "hubS3Bucket";
    private static final String TEMP_KEY = "hubS3TempKey";
    private static final String HASHING = "hubS3Hashing";
    /** Between a final key and the random part of a temporary key. */
    private static final String PART = ".part-";

    /** Prepares a HEAD of the copy's final key (is it there already?). */
    public void headFinal(Exchange exchange) {
        StorageTarget target = CopySteps.target(exchange);
        exchange.setProperty(BUCKET, target.bucket());
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(AWS2S3Constants.KEY, target.objectKey(CopySteps.task(exchange).storageKey()));
    }

    /**
     * The copy the target already holds: the final object carries this hub's verified hash for this
     * record (and the record's hash, if known, is the same). Then nothing is uploaded again.
     */
    public StoredCopy present(Exchange exchange) {
        HeadObjectResponse head = exchange.getMessage().getBody(HeadObjectResponse.class);
        CopyTask task = CopySteps.task(exchange);
        Map<String, String> metadata = head.metadata();
        String sha256 = metadata.get(SHA256_METADATA);
        boolean ours = sha256 != null && String.valueOf(task.recordId()).equals(metadata.get(RECORD_METADATA));
        if (ours && (task.recordSha256() == null || task.recordSha256().equals(sha256))) {
            return new StoredCopy(sha256, head.contentLength());
        }
        return null;
    }

    /**
     * Wraps the source stream so it is hashed while the upload reads it, and names the temporary key. The
     * size must be known: without it the upload would have to buffer the whole file to learn it.
     */
    public void beforeUpload(Exchange exchange) throws IOException, InvalidPayloadException {
        CopyTask task = CopySteps.task(exchange);
        StorageTarget target = CopySteps.target(exchange);
        Long declared = CopySteps.declaredSize(exchange);
        InputStream source = exchange.getMessage().getMandatoryBody(InputStream.class);
        if (declared == null) {
            source.close();
            throw new CopyVerificationException("the source did not announce its size, which an S3 upload needs");
        }
        HashingInputStream hashing = new HashingInputStream(inFlight.watch(task, source));
        String tempKey = target.objectKey(task.storageKey()) + PART + UUID.randomUUID();
        exchange.setProperty(BUCKET, target.bucket());
        exchange.setProperty(TEMP_KEY, tempKey);
        exchange.setProperty(HASHING, hashing);
        // the producer closes its body after the upload; the end-of-source check below still needs it open
        exchange.getMessage().setBody(new FilterInputStream(hashing) {
            @Override
            public void close() {
            }
        });
        exchange.getMessage().setHeader(AWS2S3Constants.KEY, tempKey);
        exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_LENGTH, declared);
        exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_TYPE, task.contentType());
    }

    /** After the upload: the source must be used up at the announced size; then the copy to the final key. */
    public CopyObjectRequest promote(Exchange exchange) throws IOException {
        HashingInputStream hashing = exchange.getProperty(HASHING, HashingInputStream.class);
        long declared = CopySteps.declaredSize(exchange);
        boolean atEnd;
        try (hashing) {
            atEnd = hashing.atEnd();
        }
        if (!atEnd || hashing.count() != declared) {
            throw new CopyVerificationException("source announced " + declared + " bytes but sent "
                    + (hashing.count() == declared ? "more" : hashing.count()));
        }
        // the hash of what was uploaded, taken on the way: no second pass over the object
        FileTarget.verify(new StoredCopy(hashing.sha256Hex(), hashing.count()), declared,
                CopySteps.declaredSha256(exchange));
        CopyTask task = CopySteps.task(exchange);
        StorageTarget target = CopySteps.target(exchange);
        return CopyObjectRequest.builder()
                .sourceBucket(target.bucket()).sourceKey(exchange.getProperty(TEMP_KEY, String.class))
                .destinationBucket(target.bucket()).destinationKey(target.objectKey(task.storageKey()))
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType(task.contentType())
                .metadata(Map.of(SHA256_METADATA, hashing.sha256Hex(), RECORD_METADATA, String.valueOf(task.recordId())))
                .build();
    }

    /** Checks the final object (from a HEAD): the size read from the source and the hash set on it. */
    public StoredCopy verify(Exchange exchange) {
        HeadObjectResponse head = exchange.getMessage().getBody(HeadObjectResponse.class);
        HashingInputStream hashing = exchange.getProperty(HASHING, HashingInputStream.class);
        StoredCopy streamed = new StoredCopy(hashing.sha256Hex(), hashing.count());
        StoredCopy stored = new StoredCopy(head.metadata().get(SHA256_METADATA), head.contentLength());
        if (!stored.equals(streamed)) {
            throw new CopyVerificationException("stored object differs from the source: " + stored.sizeBytes()
                    + " bytes sha256 " + stored.sha256() + ", read " + streamed.sizeBytes() + " bytes sha256 "
                    + streamed.sha256());
        }
        exchange.setProperty(CopySteps.WRITTEN, true);
        return stored;
    }

    /** Prepares the removal of the temporary key (after success and after failure alike); the upload is over. */
    public void deleteTemp(Exchange exchange) throws IOException {
        HashingInputStream hashing = exchange.getProperty(HASHING, HashingInputStream.class);
        try {
            if (hashing != null) {
                hashing.close();
            }
        } finally {
            inFlight.done(CopySteps.task(exchange));
        }
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(AWS2S3Constants.KEY, exchange.getProperty(TEMP_KEY, String.class));
    }

    /** Whether an upload got as far as naming a temporary key (so there may be one to remove). */
    public boolean hasTemp(Exchange exchange) {
        return exchange.getProperty(TEMP_KEY) != null;
    }

    /**
     * Removes what an earlier claim of this copy left under its temporary names, once the copy is in the target: a
     * node killed in the middle of an upload leaves an unfinished multipart upload (billed, and shown as objects by
     * some S3-compatible servers), killed between the copy to the final key and the removal a temporary object. Only a
     * copy claimed more than once looks (two list requests, which camel-aws2-s3 has no operation for: the endpoint's
     * client makes them). A failure to clean up is logged and leaves the stored copy alone.
     */
    public void removeLeftovers(Exchange exchange) {
        CopyTask task = CopySteps.task(exchange);
        if (task.claims() <= 1) {
            return;
        }
        StorageTarget target = CopySteps.target(exchange);
        String bucket = target.bucket();
        String prefix = target.objectKey(task.storageKey()) + PART;
        S3Client s3 = exchange.getContext().getEndpoint("aws2-s3://" + bucket, AWS2S3Endpoint.class).getS3Client();
        try {
            s3.listMultipartUploadsPaginator(list -> list.bucket(bucket).prefix(prefix)).uploads().forEach(upload ->
                    s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())));
            s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().forEach(leftover ->
                    s3.deleteObject(delete -> delete.bucket(bucket).key(leftover.key())));
        } catch (SdkException e) {
            LOG.warn("{}: stored, but what an earlier attempt left under {}* stays: {}", task.describe(), prefix,
                    S3StorageProbe.firstLine(e.getMessage()));
        }
    }
}
