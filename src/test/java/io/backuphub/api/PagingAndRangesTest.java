package io.backuphub.api;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagingAndRangesTest {

    @Test
    void pageRequestsDefaultToTheFirstPageOfTwenty() {
        assertEquals(new PageRequest(1, 20), PageRequest.of(null, ""));
        assertEquals(40, PageRequest.of("3", "20").offset());
        assertEquals(400, assertThrows(ApiException.class, () -> PageRequest.of("1", "101")).status());
    }

    @Test
    void theLinkHeaderKeepsOtherParametersAndLeavesOutPagesThatDoNotExist() {
        Page<String> middle = new Page<>(List.of("x"), 95, new PageRequest(3, 20));
        assertEquals("<http://h/v1/x?a=b+c&page=1&per_page=20>; rel=\"first\", "
                        + "<http://h/v1/x?a=b+c&page=2&per_page=20>; rel=\"prev\", "
                        + "<http://h/v1/x?a=b+c&page=4&per_page=20>; rel=\"next\", "
                        + "<http://h/v1/x?a=b+c&page=5&per_page=20>; rel=\"last\"",
                LinkHeader.of("http://h/v1/x", "page=3&a=b%20c&per_page=20", middle));
        Page<String> beyond = new Page<>(List.of(), 5, new PageRequest(9, 20));
        assertEquals("<http://h/x?page=1&per_page=20>; rel=\"first\", <http://h/x?page=1&per_page=20>; rel=\"prev\", "
                + "<http://h/x?page=1&per_page=20>; rel=\"last\"", LinkHeader.of("http://h/x", null, beyond));
    }

    @Test
    void byteRangesFollowRfc9110() {
        assertNull(ByteRange.parse(null, 100));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 100), "several ranges: the whole blob");
        assertEquals(new ByteRange(0, 0), ByteRange.parse("bytes=0-0", 100));
        assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=-10", 100));
        assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=-1000", 100));
        assertEquals(new ByteRange(50, 99), ByteRange.parse("bytes=50-", 100));
        for (String bad : List.of("bytes=100-", "bytes=5-4", "bytes=-", "items=0-1", "bytes=x-1")) {
            assertEquals(416, assertThrows(ApiException.class, () -> ByteRange.parse(bad, 100)).status(), bad);
        }
    }
}
