package io.backuphub.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Filters of a page of changes for the routes of routes/*.yaml (bean {@code backupChanges}), so a step that is about
 * some backups of the page (completed ones, one connection's, those with warnings) keeps working on a list:
 * {@code method: "withStatus(${body}, 'completed,partial')"}.
 */
public class BackupChanges {

    public static final String BEAN = "backupChanges";

    /** The rows whose status is one of {@code statuses} (comma separated). */
    public List<BackupChange> withStatus(List<BackupChange> changes, String statuses) {
        Set<String> wanted = names(statuses);
        return changes.stream().filter(c -> wanted.contains(c.status())).toList();
    }

    /** The rows of one of the connections {@code sources} (comma separated). */
    public List<BackupChange> fromSource(List<BackupChange> changes, String sources) {
        Set<String> wanted = names(sources);
        return changes.stream().filter(c -> wanted.contains(c.source())).toList();
    }

    /** The rows whose change is one of {@code kinds} ({@code new}, {@code updated}; comma separated). */
    public List<BackupChange> withChange(List<BackupChange> changes, String kinds) {
        Set<String> wanted = names(kinds);
        return changes.stream().filter(c -> wanted.contains(c.change())).toList();
    }

    /** The rows whose backup came with provider warnings. */
    public List<BackupChange> withWarnings(List<BackupChange> changes) {
        return changes.stream().filter(c -> c.warnings() > 0).toList();
    }

    /** The rows with values the hub does not know, new to the catalog. */
    public List<BackupChange> withUnknownValues(List<BackupChange> changes) {
        return changes.stream().filter(c -> c.unknownValues() > 0).toList();
    }

    /** The catalog ids of the rows' backups. */
    public List<Long> backupIds(List<BackupChange> changes) {
        return changes.stream().map(BackupChange::backupId).toList();
    }

    private static Set<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
