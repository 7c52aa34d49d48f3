package io.backuphub.provider.cloud66;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Cloud66PaginationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theNextPageComesFromThePaginationObject() throws Exception {
        assertEquals(3, Cloud66Pagination.next(JSON.readTree("{\"response\":[],\"pagination\":{\"current\":2,\"next\":3}}")));
    }

    @Test
    void aNullNextEndsThePaging() throws Exception {
        assertNull(Cloud66Pagination.next(JSON.readTree("{\"response\":[],\"pagination\":{\"current\":2,\"next\":null}}")));
        assertNull(Cloud66Pagination.next(JSON.readTree("{\"response\":[]}")));
    }

    @Test
    void aNextThatDoesNotAdvanceEndsThePagingInsteadOfLoopingForever() throws Exception {
        assertNull(Cloud66Pagination.next(JSON.readTree("{\"response\":[],\"pagination\":{\"current\":2,\"next\":2}}")));
    }

    @Test
    void aPageWithoutAResponseArrayIsMalformed() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Cloud66Pagination.items(JSON.readTree("{\"response\":{}}")));
    }
}
