package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTest {

  @Test
  void loadsAResourceWithoutItsOpeningComment() {
    String sql = Sql.load("leaderboard/top");
    assertThat(sql).startsWith("select ").doesNotContain("--").endsWith("\n");
  }

  @Test
  void aMissingResourceFailsWithItsPath() {
    assertThatThrownBy(() -> Sql.load("nowhere/nothing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sql/nowhere/nothing.sql");
  }

  @Test
  void dropsOnlyTheLeadingCommentLines() {
    assertThat(Sql.withoutLeadingComments("-- what\n\n-- index\nselect 1\n-- kept\nfrom x\n\n"))
        .isEqualTo("select 1\n-- kept\nfrom x\n");
  }

  @Test
  void fillsEverySlot() {
    String sql = "select * from t where a = $1 /*{where}*/ order by id limit /*{limit}*/";
    assertThat(Sql.fill(sql, Map.of("where", "and b = $2", "limit", "$3")))
        .isEqualTo("select * from t where a = $1 and b = $2 order by id limit $3");
    assertThat(Sql.fill("x /*{where}*/ y /*{where}*/", "where", "")).isEqualTo("x  y ");
  }

  /** The client finds a prepared statement by the text's hash, which a String computes once. */
  @Test
  void fillingTheSameShapeAgainGivesTheSameStatement() {
    String sql = "select * from t where a = $1 /*{keyset}*/ order by id";
    String first = Sql.fill(sql, "keyset", new StringBuilder("and id < $2").toString());
    String again = Sql.fill(sql, "keyset", new StringBuilder("and id < $2").toString());
    assertThat(again).isEqualTo("select * from t where a = $1 and id < $2 order by id");
    assertThat(again).isSameAs(first);
    assertThat(Sql.fill(sql, "keyset", "")).isNotSameAs(first);
  }

  @Test
  void aSlotWithoutFragmentOrAFragmentWithoutSlotIsAnError() {
    assertThatThrownBy(() -> Sql.fill("x /*{where}*/ /*{limit}*/", "where", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> Sql.fill("x /*{where}*/", Map.of("where", "", "order", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order");
  }
}
