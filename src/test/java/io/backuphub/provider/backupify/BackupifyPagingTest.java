package io.backuphub.provider.backupify;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackupifyPagingTest {

    private static final String MIDDLE = "<http://h/v1/backup_instances?page=1&per_page=2>; rel=\"first\", "
            + "<http://h/v1/backup_instances?page=1&per_page=2>; rel=\"prev\", "
            + "<http://h/v1/backup_instances?page=3&per_page=2>; rel=\"next\", "
            + "<http://h/v1/backup_instances?page=3&per_page=2>; rel=\"last\"";
    private static final String LAST = "<http://h/v1/backup_instances?page=1&per_page=2>; rel=\"first\", "
            + "<http://h/v1/backup_instances?page=2&per_page=2>; rel=\"prev\", "
            + "<http://h/v1/backup_instances?page=3&per_page=2>; rel=\"last\"";

    @Test
    void theLinkHeaderSaysWhetherAnotherPageFollows() {
        assertEquals(3, BackupifyPaging.next(2, 2, 2, MIDDLE, 5L));
        assertNull(BackupifyPaging.next(3, 2, 1, LAST, 5L));
    }

    @Test
    void withoutALinkHeaderTheTotalDecides() {
        assertEquals(2, BackupifyPaging.next(1, 2, 2, null, 3L));
        assertNull(BackupifyPaging.next(2, 2, 1, null, 3L));
        assertNull(BackupifyPaging.next(2, 2, 2, null, 4L));
    }

    @Test
    void withNeitherAFullPageMeansThereMayBeMore() {
        assertEquals(2, BackupifyPaging.next(1, 2, 2, null, null));
        assertNull(BackupifyPaging.next(2, 2, 1, null, null));
    }

    @Test
    void anEmptyPageEndsTheListWhateverTheHeadersSay() {
        assertNull(BackupifyPaging.next(4, 2, 0, MIDDLE, 100L));
    }

    @Test
    void thePageSizeStaysWithinWhatTheApiAccepts() {
        assertEquals(100, BackupifyPaging.perPage(500));
        assertEquals(1, BackupifyPaging.perPage(0));
        assertEquals(25, BackupifyPaging.perPage(25));
    }

    @Test
    void aPageThatIsNotAnArrayIsMalformed() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> BackupifyPaging.items(new ObjectMapper().readTree("{\"error\":{}}"), "backups"));
        assertEquals(2, BackupifyPaging.items(new ObjectMapper().readTree("[{},{}]"), "backups").size());
    }
}
