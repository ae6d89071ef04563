package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {

  @Test
  void roundTripsKeysForTheSameOrdering() {
    String cursor = Cursor.encode("browse:NEWEST", "2026-01-01T00:00:00.123456Z", 42L);
    assertThat(Cursor.decode(cursor, "browse:NEWEST", 2))
        .isEqualTo(List.of("2026-01-01T00:00:00.123456Z", "42"));
  }

  @Test
  void emptyMeansFirstPage() {
    assertThat(Cursor.decode(null, "x", 2)).isNull();
    assertThat(Cursor.decode("", "x", 2)).isNull();
  }

  @Test
  void rejectsCursorsOfAnotherListingOrForgedOnes() {
    String cursor = Cursor.encode("browse:NEWEST", "a", 1L);
    assertThatThrownBy(() -> Cursor.decode(cursor, "browse:TITLE", 2))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.decode("not base64!", "x", 2))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.decode(cursor, "browse:NEWEST", 3))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.decode("x".repeat(600), "x", 2))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.longKey("12abc")).isInstanceOf(ProblemException.class);
  }

  @Test
  void acceptsOnlyTheExactCursorItHandedOut() {
    String cursor = Cursor.encode("browse:NEWEST", "a", 1L);
    assertThat(Cursor.decode(cursor, "browse:NEWEST", 2)).containsExactly("a", "1");
    // another spelling of (nearly) the same bytes is not a cursor this service made
    for (String altered : new String[] {cursor + "A", cursor + "AA", cursor + "=", cursor + "=="}) {
      assertThatThrownBy(() -> Cursor.decode(altered, "browse:NEWEST", 2))
          .as(altered)
          .isInstanceOf(ProblemException.class);
    }
  }
}
