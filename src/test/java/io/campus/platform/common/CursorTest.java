package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
    assertThatThrownBy(() -> Cursor.decode("x".repeat(1100), "x", 2))
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

  @Test
  void everyCursorItHandsOutIsAcceptedBack() {
    // the longest title (200 characters of three UTF-8 bytes each) as the key of a title sort
    String title = "漢".repeat(200);
    String cursor = Cursor.encode("browse:TITLE:null:null", title, Long.MAX_VALUE);
    assertThat(Cursor.decode(cursor, "browse:TITLE:null:null", 2))
        .containsExactly(title, Long.toString(Long.MAX_VALUE));
    // a search's ordering holds its query, whatever characters it has
    String query = "search:" + "ж".repeat(200) + "" + "x";
    String searched = Cursor.encode(query, 0.5f, 7L);
    assertThat(Cursor.decode(searched, query, 2)).containsExactly("0.5", "7");
  }

  @Test
  void refusesTimesAndDaysNoListingHolds() {
    assertThat(Cursor.timeKey("2026-01-01T00:00:00.123456Z").getYear()).isEqualTo(2026);
    assertThat(Cursor.dayKey(Long.toString(java.time.LocalDate.of(2026, 1, 1).toEpochDay())))
        .isEqualTo(java.time.LocalDate.of(2026, 1, 1));
    // beyond what PostgreSQL stores: the statement would fail (a 500) instead of a 400
    assertThatThrownBy(() -> Cursor.timeKey("+294277-01-02T00:00:00Z"))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.timeKey("-5000-01-01T00:00:00Z"))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.dayKey("-3000000")).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Cursor.dayKey("999999999")).isInstanceOf(ProblemException.class);
  }

  @Test
  void aCursorWithEditedKeysIsRefused() {
    String cursor = Cursor.encode("browse:NEWEST:null:null", "2026-01-01T00:00:00Z", 42L);
    String raw =
        new String(java.util.Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1);
    // the same listing and shape, another position: what anyone could write by hand
    String edited =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw.replace("42", "43").getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Cursor.decode(edited, "browse:NEWEST:null:null", 2))
        .isInstanceOf(ProblemException.class);
  }
}
