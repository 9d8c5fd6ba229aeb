package io.tiergate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    @Test
    void generatedIdsAre32LowercaseHexCharactersAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.generate();
            // Two random longs printed in hex would lose leading zeros; 10,000 ids would show one.
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "req-42", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "trace:abc/def@1.2~!"})
    void acceptableCallerIdsAreKept(String given) {
        assertEquals(given, RequestIds.fromCaller(given));
    }

    @Test
    void aCallerIdOfExactly128CharactersIsKept() {
        String longest = "x".repeat(RequestIds.MAX_LENGTH);
        assertEquals(longest, RequestIds.fromCaller(longest));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "has space", "tab\there", "line\nbreak", "caf\u00e9", "del\u007f"})
    void unusableCallerIdsAreReplaced(String given) {
        String id = RequestIds.fromCaller(given);
        assertNotEquals(given, id);
        assertTrue(id.matches("[0-9a-f]{32}"), id);
    }

    @Test
    void aCallerIdOver128CharactersIsReplaced() {
        assertTrue(RequestIds.fromCaller("x".repeat(RequestIds.MAX_LENGTH + 1)).matches("[0-9a-f]{32}"));
    }
}
