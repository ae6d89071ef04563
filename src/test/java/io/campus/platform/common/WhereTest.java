package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.mutiny.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhereTest {

  private static List<Object> values(Tuple tuple) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < tuple.size(); i++) {
      values.add(tuple.getValue(i));
    }
    return values;
  }

  @Test
  void numbersParametersAfterTheFixedOnesAndSkipsAbsentFilters() {
    Where where = Where.with("slug", true).eq("c.category", "java").eq("c.level", null);
    assertThat(where.sql()).isEqualTo("and c.category = $3");
    assertThat(where.bind(21)).isEqualTo("$4");
    assertThat(values(where.tuple())).containsExactly("slug", true, "java", 21);
  }

  @Test
  void firstPageHasNoKeysetCondition() {
    Where where =
        Where.with(7L)
            .keyset(
                null,
                "feed",
                "e.created_at, e.id",
                Where.Order.DESC,
                Where.Key.TIME,
                Where.Key.LONG)
            .keyset("", "feed", "e.id", Where.Order.ASC, Where.Key.LONG);
    assertThat(where.sql()).isEmpty();
    assertThat(values(where.tuple())).containsExactly(7L);
  }

  @Test
  void keysetOfACursorBindsItsTypedKeys() {
    String at = "2026-01-01T00:00:00.123456Z";
    Where where =
        Where.with(7L, 21)
            .eq("c.level", "BEGINNER")
            .keyset(
                Cursor.encode("feed", at, 42L),
                "feed",
                "e.created_at, e.id",
                Where.Order.DESC,
                Where.Key.TIME,
                Where.Key.LONG);
    assertThat(where.sql()).isEqualTo("and c.level = $3 and (e.created_at, e.id) < ($4, $5)");
    assertThat(values(where.tuple()))
        .containsExactly(7L, 21, "BEGINNER", OffsetDateTime.parse(at), 42L);
  }

  @Test
  void oneColumnKeysetAndCastKeys() {
    assertThat(
            Where.with(1L)
                .keyset(
                    Cursor.encode("m", 5L), "m", "ma.student_id", Where.Order.ASC, Where.Key.LONG)
                .sql())
        .isEqualTo("and ma.student_id > $2");
    Where search =
        Where.with("java")
            .keyset(
                Cursor.encode("s", 0.5f, "b", 3L),
                "s",
                "ts_rank(c.search, q), c.title, c.id",
                Where.Order.DESC,
                Where.Key.REAL,
                Where.Key.TEXT,
                Where.Key.LONG);
    assertThat(search.sql())
        .isEqualTo("and (ts_rank(c.search, q), c.title, c.id) < ($2::real, $3, $4)");
    assertThat(values(search.tuple())).containsExactly("java", 0.5f, "b", 3L);
  }

  @Test
  void anInvalidCursorIsTheSame400AsBefore() {
    String other = Cursor.encode("another-listing", "2026-01-01T00:00:00Z", 1L);
    String badKey = Cursor.encode("feed", "yesterday", 1L);
    for (String cursor : List.of(other, badKey, "not base64!", "x".repeat(600))) {
      assertThatThrownBy(
              () ->
                  Where.with()
                      .keyset(
                          cursor, "feed", "a, b", Where.Order.DESC, Where.Key.TIME, Where.Key.LONG))
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.errors()).singleElement().extracting("field").isEqualTo("cursor");
              });
    }
  }

  @Test
  void aDayKeyIsReadFromItsEpochDayAndAnImpossibleDayIsA400() {
    Where where =
        Where.with(7L, 21)
            .keyset(
                Cursor.encode("days", LocalDate.of(2026, 3, 1).toEpochDay(), 42L),
                "days",
                "a.assessed_on, a.id",
                Where.Order.DESC,
                Where.Key.DAY,
                Where.Key.LONG);
    assertThat(where.sql()).isEqualTo("and (a.assessed_on, a.id) < ($3, $4)");
    assertThat(values(where.tuple())).containsExactly(7L, 21, LocalDate.of(2026, 3, 1), 42L);
    assertThatThrownBy(
            () ->
                Where.with()
                    .keyset(
                        Cursor.encode("days", Long.MAX_VALUE, 42L),
                        "days",
                        "a.assessed_on, a.id",
                        Where.Order.DESC,
                        Where.Key.DAY,
                        Where.Key.LONG))
        .isInstanceOf(ProblemException.class);
  }
}
