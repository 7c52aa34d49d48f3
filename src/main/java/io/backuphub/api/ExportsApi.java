package io.backuphub.api;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.Backup;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.Export;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code /v1/backup_instances/{id}/exports...}: request an export of a backup, follow it, re-authorize its link,
 * and download it through the signed link. An unchanged export (same backup, same filters) is re-authorized
 * instead of built again unless {@code force_full} is set.
 */
public class ExportsApi {

    /** Header and exchange properties of a build request (routes/exports.yaml). */
    public static final String EXPORT_ID = "hubExportId";
    public static final String API_BASE = "hubApiBase";
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+*-]+");
    private static final String FIELD = "export_run[%s]";

    private final CatalogQueries queries;
    private final ApiAccess access;
    private final ExportStore store;
    private final ExportLinks links;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final Duration linkTtl;
    private final Clock clock;

    public ExportsApi(CatalogQueries queries, ApiAccess access, ExportStore store, ExportLinks links, BlobStore blobs,
                      ObjectMapper json, Duration linkTtl, Clock clock) {
        this.queries = queries;
        this.access = access;
        this.store = store;
        this.links = links;
        this.blobs = blobs;
        this.json = json;
        this.linkTtl = linkTtl;
        this.clock = clock;
    }

    public Page<Export> list(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                             @Header("backup_instance_id") String id, @Header("page") String page,
                             @Header("per_page") String perPage) {
        BackupInstance instance = access.instance(caller, id);
        Page<ExportRow> rows = queries.exports(instance.id(), PageRequest.of(page, perPage));
        return new Page<>(rows.items().stream().map(row -> view(exchange, row)).toList(), rows.total(), rows.request());
    }

    public Export get(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                      @Header("backup_instance_id") String id, @Header("export_id") String exportId) {
        return view(exchange, row(caller, id, exportId));
    }

    /** POST: a new queued export (201), or the same export re-authorized or still under way (200). */
    public Export create(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                         @Header("backup_instance_id") String id) {
        BackupInstance instance = access.instance(caller, id);
        RequestFields fields = RequestFields.of(exchange, json);
        Backup backup = fields.get(field("backup_run_id"))
                .map(value -> Params.id(field("backup_run_id"), value))
                .map(backupId -> queries.backup(instance.id(), backupId).orElseThrow(() -> ApiException.unprocessable(
                        "unknown_backup", "backup " + backupId + " is not a backup of backup_instance " + instance.id())))
                .orElseGet(() -> queries.newestRestorableBackup(instance.id()).orElseThrow(() -> ApiException.conflict(
                        "no_backup", "backup_instance " + instance.id() + " has no completed backup to export yet")));
        String contentTypes = contentTypes(fields.get(field("content_types")));
        String formats = formats(fields.get(field("export_formats")));
        LocalDate since = fields.get(field("export_datetime")).map(d -> Params.date(field("export_datetime"), d)).orElse(null);
        boolean forceFull = fields.get(field("force_full")).map(f -> Params.flag(field("force_full"), f)).orElse(false);
        boolean confirm = fields.get(field("send_confirmation"))
                .map(f -> Params.flag(field("send_confirmation"), f)).orElse(false);

        if (!forceFull) {
            Optional<ExportRow> same = queries.sameExport(instance.id(), backup.id(), formats, contentTypes, since);
            if (same.isPresent()) {
                ExportRow existing = same.get();
                if (ExportStatus.COMPLETED.wireName().equals(existing.status())) {
                    store.reauthorize(existing.id(), clock.instant().plus(linkTtl));
                }
                return view(exchange, queries.export(instance.id(), existing.id()).orElseThrow());
            }
        }
        long exportId = store.create(instance.id(), backup.id(), formats, contentTypes, since, forceFull, confirm);
        ApiReply.status(exchange, 201);
        ApiReply.header(exchange, "Location", ApiUrls.base(exchange) + "/v1/backup_instances/" + instance.id()
                + "/exports/" + exportId);
        return view(exchange, queries.export(instance.id(), exportId).orElseThrow());
    }

    /** POST .../reauth: a completed export's link, valid again from now. */
    public Export reauthorize(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                              @Header("backup_instance_id") String id, @Header("export_id") String exportId) {
        ExportRow export = row(caller, id, exportId);
        if (!store.reauthorize(export.id(), clock.instant().plus(linkTtl))) {
            throw ApiException.conflict("export_not_ready", "export " + export.id() + " is " + export.status()
                    + "; only a completed export has a download link");
        }
        return view(exchange, queries.export(export.instanceId(), export.id()).orElseThrow());
    }

    /** GET .../download?expires&signature: the archive, streamed; the link is the credential. */
    public void download(Exchange exchange, @Header("backup_instance_id") String id, @Header("export_id") String exportId,
                         @Header("expires") String expires, @Header("signature") String signature) throws Exception {
        long instanceId = Params.id("backup_instance_id", id);
        long export = Params.id("export_id", exportId);
        links.verify(instanceId, export, expires, signature);
        ExportRow row = queries.export(instanceId, export)
                .orElseThrow(() -> ApiException.notFound("export " + export + " not found"));
        Path file = Optional.ofNullable(row.storageKey()).flatMap(blobs::locate).orElseThrow(() ->
                new ApiException(404, "not_stored", "the archive of export " + export + " is not in the hub's storage"));
        BlobResponse.send(exchange, file, ExportFormat.of(row.exportFormats()).contentType(),
                "export-" + row.id() + "-" + row.completedAt().toEpochMilli());
    }

    private ExportRow row(Caller caller, String id, String exportId) {
        BackupInstance instance = access.instance(caller, id);
        long export = Params.id("export_id", exportId);
        return queries.export(instance.id(), export).orElseThrow(() -> ApiException.notFound("export " + export
                + " of backup_instance " + instance.id() + " not found"));
    }

    private Export view(Exchange exchange, ExportRow row) {
        return new Export(row.id(), row.instanceId(), row.backupId(), row.status(), list(row.exportFormats()),
                list(row.contentTypes()), row.exportDatetime(), row.forceFull(), row.sendConfirmation(),
                links.url(ApiUrls.base(exchange), row), row.expiresAt(), row.sizeBytes(), row.createdAt(),
                row.completedAt(), row.errorMessage());
    }

    /** A comma list normalised (trimmed, lower case, sorted, no repeats), so equal filters compare equal. */
    private static String contentTypes(Optional<String> value) {
        Set<String> types = normalised(value);
        for (String type : types) {
            if (!CONTENT_TYPE.matcher(type).matches()) {
                throw ApiException.unprocessable("invalid_field", field("content_types") + ": '" + type
                        + "' is not a content type (type/subtype)");
            }
        }
        return String.join(",", types);
    }

    /** Names and aliases made canonical ({@code tgz} is {@code tar.gz}), so equal requests compare equal. */
    private static String formats(Optional<String> value) {
        Set<String> formats = new TreeSet<>();
        for (String format : normalised(value)) {
            formats.add(ExportFormat.named(format).map(ExportFormat::wireName).orElseThrow(() ->
                    ApiException.unprocessable("invalid_field", field("export_formats") + ": '" + format
                            + "' is not one of [tar, tar.gz, tgz, zip]")));
        }
        return formats.isEmpty() ? "tar" : String.join(",", formats);
    }

    /**
     * What the build of a queued export needs, on the copy of the request a wire tap hands to
     * {@code seda:export-requested}: its id and the hub's URL as the client reached it; no request headers.
     */
    public static void buildRequest(Exchange copy) {
        Export export = copy.getMessage().getBody(Export.class);
        String base = ApiUrls.base(copy);
        copy.getMessage().removeHeaders("*");
        copy.getMessage().setHeader(EXPORT_ID, export.id());
        copy.getMessage().setHeader(API_BASE, base);
        copy.getMessage().setBody(null);
    }

    private static Set<String> normalised(Optional<String> value) {
        Set<String> items = new TreeSet<>();
        value.ifPresent(v -> Arrays.stream(v.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).forEach(items::add));
        return items;
    }

    private static List<String> list(String commaList) {
        return commaList == null || commaList.isEmpty() ? List.of() : List.of(commaList.split(","));
    }

    private static String field(String name) {
        return FIELD.formatted(name);
    }
}
