package io.campus.leaderboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class LeaderboardResourceTest {

  @Inject TestData data;
  @Inject Pool pool;
  @Inject LeaderboardRefresher refresher;

  private void points(long userId, int points) {
    data.execute(
        "insert into user_stats (user_id, points) values ($1, $2)"
            + " on conflict (user_id) do update set points = excluded.points",
        Tuple.of(userId, points));
  }

  /** Refreshes the ranks, waiting out a refresh already running (it holds the lock). */
  private void refresh() {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (refresher.refresh().await().indefinitely()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("the leaderboard lock was never free");
  }

  private JsonPath leaderboard(String token, Object limit) {
    var request = given().auth().oauth2(token);
    if (limit != null) {
      request.queryParam("limit", limit);
    }
    return request.get("/api/leaderboard").then().statusCode(200).extract().jsonPath();
  }

  @Test
  void topUsersAndMyRankComeFromTheLastRefresh() {
    TestData.Account first = data.account(Role.STUDENT);
    TestData.Account tiedA = data.account(Role.STUDENT);
    TestData.Account tiedB = data.account(Role.STUDENT);
    TestData.Account late = data.account(Role.STUDENT);
    TestData.Account none = data.account(Role.STUDENT);
    // far above anything other tests earn
    points(first.id(), 2_000_000_000);
    points(tiedA.id(), 1_900_000_000);
    points(tiedB.id(), 1_900_000_000);
    for (int i = 0; i < 10; i++) {
      points(data.account(Role.STUDENT).id(), 1_000_000 + i);
    }
    refresh();
    points(late.id(), 1_950_000_000);

    JsonPath board = leaderboard(late.token(), 3);
    assertThat(board.getList("top.id", Long.class))
        .containsExactly(first.id(), tiedA.id(), tiedB.id());
    assertThat(board.getList("top.rank", Integer.class)).containsExactly(1, 2, 2);
    assertThat(board.getList("top.points", Integer.class))
        .containsExactly(2_000_000_000, 1_900_000_000, 1_900_000_000);
    assertThat(board.getString("top[0].displayName")).isEqualTo("Test STUDENT");
    assertThat(board.getString("refreshInterval")).isEqualTo("off");
    // earned after the refresh: no rank yet, current points
    assertThat(board.getString("me.rank")).isNull();
    assertThat(board.getInt("me.points")).isEqualTo(1_950_000_000);
    OffsetDateTime asOf = OffsetDateTime.parse(board.getString("asOf"));

    refresh();
    JsonPath later = leaderboard(late.token(), 3);
    assertThat(OffsetDateTime.parse(later.getString("asOf"))).isAfter(asOf);
    assertThat(later.getList("top.id", Long.class))
        .containsExactly(first.id(), late.id(), tiedA.id());
    assertThat(later.getInt("me.rank")).isEqualTo(2);
    assertThat(later.getInt("me.id")).isEqualTo((int) late.id());
    assertThat(leaderboard(tiedB.token(), 3).getInt("me.rank")).isEqualTo(3);
    assertThat(leaderboard(tiedB.token(), null).getList("top")).hasSize(10); // the default

    JsonPath nobody = leaderboard(none.token(), 1);
    assertThat(nobody.getString("me.rank")).isNull();
    assertThat(nobody.getInt("me.points")).isZero();
    assertThat(nobody.getList("top.id", Long.class)).containsExactly(first.id());
  }

  @Test
  void limitIsValidatedAndEveryRoleMaySee() {
    given().get("/api/leaderboard").then().statusCode(401);
    for (Role role : Role.values()) {
      given()
          .auth()
          .oauth2(data.account(role).token())
          .get("/api/leaderboard")
          .then()
          .statusCode(200)
          .body("me.rank", nullValue());
    }
    String token = data.account(Role.STUDENT).token();
    for (String bad : new String[] {"0", "101", "-1", "ten"}) {
      given()
          .auth()
          .oauth2(token)
          .queryParam("limit", bad)
          .get("/api/leaderboard")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("limit"));
    }
  }

  @Test
  void aRequestIsOneStatementForAnyLimit() {
    TestData.Account student = data.account(Role.STUDENT);
    for (int i = 0; i < 30; i++) {
      points(data.account(Role.STUDENT).id(), 1000 + i);
    }
    refresh();
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    PgWireCounter.Counts one =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .queryParam("limit", 1)
                    .get("/api/leaderboard")
                    .then()
                    .statusCode(200)
                    .body("top.size()", equalTo(1)));
    PgWireCounter.Counts hundred =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .queryParam("limit", 100)
                    .get("/api/leaderboard")
                    .then()
                    .statusCode(200));
    // one statement when cold (the session is cached), none once the answer is cached
    assertThat(one.statements()).isEqualTo(1);
    assertThat(hundred).isEqualTo(one);
    assertThat(
            Statements.count(
                    () ->
                        given()
                            .auth()
                            .oauth2(student.token())
                            .queryParam("limit", 100)
                            .get("/api/leaderboard")
                            .then()
                            .statusCode(200))
                .statements())
        .isZero();
  }

  @Test
  void onlyOneReplicaRefreshesAtATime() {
    SqlConnection other = pool.getConnection().await().indefinitely();
    try {
      // another replica refreshing: it holds the lock for its transaction
      Transaction tx = other.begin().await().indefinitely();
      other
          .preparedQuery("select pg_advisory_xact_lock($1)")
          .execute(Tuple.of(LeaderboardRefresher.LOCK_KEY))
          .await()
          .indefinitely();
      assertThat(refresher.refresh().await().indefinitely()).isFalse();
      tx.commit().await().indefinitely();
    } finally {
      other.close().await().indefinitely();
    }
    refresh();
  }

  @Test
  void theTopIsReadFromTheRankIndex() {
    List<String> plan =
        pool
            .withTransaction(
                conn ->
                    conn.query("set local enable_seqscan = off")
                        .execute()
                        .chain(
                            () ->
                                conn.query(
                                        "explain select user_id from leaderboard"
                                            + " order by rank, user_id limit 10")
                                    .execute()))
            .await()
            .indefinitely()
            .stream()
            .map(row -> row.getString(0))
            .toList();
    assertThat(String.join("\n", plan)).contains("leaderboard_rank_idx");
  }
}
