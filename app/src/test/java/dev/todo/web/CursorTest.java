package dev.todo.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.web.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTest {

    private final Cursor cursor = new Cursor("k".getBytes(StandardCharsets.UTF_8), new ObjectMapper());

    @Test
    void roundTripsForTheSameBinding() {
        String c = cursor.encode(List.of("2026-01-01 00:00:00+00", "id-1"), "user|query");
        assertThat(cursor.decode(c, "user|query", 2)).containsExactly("2026-01-01 00:00:00+00", "id-1");
    }

    @Test
    void refusesAnotherBindingATamperedPayloadOrTheWrongShape() {
        String c = cursor.encode(List.of("a", "id-1"), "user|query");
        assertThatThrownBy(() -> cursor.decode(c, "other|query", 2)).isInstanceOf(ApiException.class).hasMessageContaining("does not belong");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("[\"b\",\"id-1\"]".getBytes(StandardCharsets.UTF_8))
                + c.substring(c.indexOf('.'));
        assertThatThrownBy(() -> cursor.decode(forged, "user|query", 2)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> cursor.decode(c, "user|query", 3)).isInstanceOf(ApiException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> cursor.decode("!!!", "user|query", 2)).isInstanceOf(ApiException.class).hasMessageContaining("malformed");
    }
}
