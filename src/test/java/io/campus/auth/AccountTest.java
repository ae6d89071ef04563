package io.campus.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Jobs;
import io.campus.testsupport.OtherTransaction;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Account self-service: registration without enumeration, email confirmation, password change and
 * reset, the user's sessions, idle sessions and the end of sessions on a role change.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AccountTest {

  private static final String PASSWORD = "correct horse battery";
  private static final String NEW_PASSWORD = "another staple of mine";
  private static final Pattern TOKEN = Pattern.compile("Token: (\\S+)");
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  @Inject TestData data;
  @Inject MockMailbox mailbox;
  @Inject Pool pool;
  @Inject SessionActivity activity;

  /** An anonymous client with an address of its own, so the auth rate-limit bucket is its own. */
  private static RequestSpecification client() {
    int n = CLIENTS.incrementAndGet();
    return given()
        .header("X-Forwarded-For", "10.77." + (n / 250) + "." + (n % 250 + 1))
        .contentType(ContentType.JSON);
  }

  private static Response register(String email, String password) {
    return client()
        .body(Map.of("email", email, "password", password, "displayName", "Ada"))
        .post("/api/auth/register");
  }

  private static String login(String email, String password, String userAgent) {
    return client()
        .header("User-Agent", userAgent)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login")
        .then()
        .statusCode(200)
        .extract()
        .path("token");
  }

  private List<Mail> mailsTo(String email, int atLeast) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> mailbox.getMailsSentTo(email).size() >= atLeast);
    return mailbox.getMailsSentTo(email);
  }

  private static String tokenIn(Mail mail) {
    Matcher m = TOKEN.matcher(mail.getText());
    assertThat(m.find()).as("token in mail: %s", mail.getText()).isTrue();
    return m.group(1);
  }

  private String registered() {
    String email = TestData.unique("acct") + "@example.org";
    register(email, PASSWORD).then().statusCode(202);
    return email;
  }

  /**
   * A user keeps at most campus.auth.max-sessions open: a login past that ends the one used least
   * recently, at once (its cached token stops working), so no account piles up sessions that a
   * rename or a "log out everywhere" would then have to evict one by one.
   */
  @Test
  void aLoginPastTheSessionCapEndsTheLeastRecentlyUsedSession() {
    String email = registered();
    long userId = data.count("select id from users where email = $1", email);
    TestData.Account user = new TestData.Account(userId, email, Role.STUDENT, null);
    List<String> tokens = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tokens.add(data.newSession(user, Role.STUDENT).token());
    }
    assertThat(
            data.count(
                "with u as (update sessions set last_used_at = now() - interval '1 minute'"
                    + " where token_hash = sha256(convert_to($1, 'UTF8')) returning 1)"
                    + " select count(*) from u",
                tokens.get(7)))
        .isEqualTo(1);
    // cached while it still works
    client().auth().oauth2(tokens.get(7)).get("/api/auth/me").then().statusCode(200);

    String fresh = login(email, PASSWORD, "the 21st");

    assertThat(data.count("select count(*) from sessions where user_id = $1", userId))
        .isEqualTo(20);
    client().auth().oauth2(tokens.get(7)).get("/api/auth/me").then().statusCode(401);
    client().auth().oauth2(fresh).get("/api/auth/me").then().statusCode(200);
    client().auth().oauth2(tokens.get(8)).get("/api/auth/me").then().statusCode(200);
  }

  /** A client that sends no usable User-Agent logs in all the same (its session shows none). */
  @Test
  void aLoginWithoutAUserAgentOpensASession() {
    String email = registered();
    for (String agent : List.of("", "\u0007")) {
      String token = login(email, PASSWORD, agent);
      client().auth().oauth2(token).get("/api/auth/me").then().statusCode(200);
    }
  }

  @Test
  void registrationAnswersAlikeForATakenAddressAndMailsItsOwnerInstead() {
    String email = TestData.unique("enum") + "@example.org";
    Response fresh = register(email, PASSWORD);
    Response taken = register(email.toUpperCase(), "a different pass phrase");
    assertThat(fresh.statusCode()).isEqualTo(202);
    assertThat(taken.statusCode()).isEqualTo(202);
    assertThat(taken.contentType()).isEqualTo(fresh.contentType());
    assertThat(taken.asString()).isEqualTo(fresh.asString());

    List<Mail> mails = mailsTo(email, 2);
    assertThat(mails)
        .extracting(Mail::getSubject)
        .containsExactlyInAnyOrder(
            "Confirm your Campus email address", "Someone tried to register with your address");
    // the first password stays
    login(email, PASSWORD, "test");
    // a third attempt within the mail interval sends no more mail
    register(email, PASSWORD).then().statusCode(202);
    assertThat(mailbox.getMailsSentTo(email)).hasSize(2);
  }

  @Test
  void confirmationTokenConfirmsOnceAndOnlyItsHashIsStored() {
    String email = registered();
    Mail mail =
        mailsTo(email, 1).stream()
            .filter(m -> m.getSubject().startsWith("Confirm"))
            .findFirst()
            .orElseThrow();
    String token = tokenIn(mail);
    long userId = data.count("select id from users where email = $1", email);
    assertThat(confirmed(userId)).isZero();
    assertThat(
            data.count(
                "select count(*) from account_tokens where user_id = $1 and token_hash = $2",
                userId,
                Buffer.buffer(Tokens.hash(token))))
        .isEqualTo(1);
    assertThat(
            data.count(
                "select count(*) from account_tokens where encode(token_hash, 'escape') like $1",
                "%" + token + "%"))
        .isZero();

    client().body(Map.of("token", token)).post("/api/auth/confirm-email").then().statusCode(204);
    assertThat(confirmed(userId)).isEqualTo(1);
    client()
        .body(Map.of("token", token))
        .post("/api/auth/confirm-email")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    client()
        .body(Map.of("token", "no-such-token"))
        .post("/api/auth/confirm-email")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
  }

  @Test
  void meSaysWhetherTheAddressIsConfirmedAndAConfirmationCanBeMailedAgain() {
    String email = registered();
    mailsTo(email, 1);
    String session = login(email, PASSWORD, "test");
    client().auth().oauth2(session).get("/api/auth/me").then().body("emailConfirmed", is(false));

    client().auth().oauth2(session).post("/api/auth/confirm-email/resend").then().statusCode(202);
    List<Mail> mails = mailsTo(email, 2);
    assertThat(mails)
        .extracting(Mail::getSubject)
        .containsOnly("Confirm your Campus email address");
    // within the mail interval: answered alike, nothing sent
    client().auth().oauth2(session).post("/api/auth/confirm-email/resend").then().statusCode(202);
    assertThat(mailbox.getMailsSentTo(email)).hasSize(2);

    client()
        .body(Map.of("token", tokenIn(mails.get(1))))
        .post("/api/auth/confirm-email")
        .then()
        .statusCode(204);
    // the cached session says so at once
    client().auth().oauth2(session).get("/api/auth/me").then().body("emailConfirmed", is(true));
    client()
        .auth()
        .oauth2(session)
        .post("/api/auth/confirm-email/resend")
        .then()
        .statusCode(409)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(mailbox.getMailsSentTo(email)).hasSize(2);
  }

  /**
   * A session that starts while the address is being confirmed (a login on another device) says so
   * too once the confirmation is done: its copy, cached before the confirmation committed, is
   * evicted with the others.
   */
  @Test
  void aSessionOpenedDuringTheConfirmationSaysTheAddressIsConfirmed() throws Exception {
    String email = registered();
    String token = tokenIn(mailsTo(email, 1).get(0));
    TestData.Account user =
        new TestData.Account(
            data.count("select id from users where email = $1", email), email, Role.STUDENT, "");
    AtomicReference<String> during = new AtomicReference<>();

    int status =
        whileTheUserRowChanges(
            user.id(),
            HELD,
            () ->
                client().body(Map.of("token", token)).post("/api/auth/confirm-email").statusCode(),
            () -> {
              during.set(data.newSession(user, Role.STUDENT).token());
              given()
                  .auth()
                  .oauth2(during.get())
                  .get("/api/auth/me")
                  .then()
                  .body("emailConfirmed", is(false));
            });

    assertThat(status).isEqualTo(204);
    given().auth().oauth2(during.get()).get("/api/auth/me").then().body("emailConfirmed", is(true));
  }

  private long confirmed(long userId) {
    return data.count(
        "select count(*) from users where id = $1 and email_confirmed_at is not null", userId);
  }

  @Test
  void changingThePasswordEndsTheOtherSessionsButNotThisOne() {
    String email = registered();
    String here = login(email, PASSWORD, "here");
    String elsewhere = login(email, PASSWORD, "elsewhere");

    given()
        .auth()
        .oauth2(here)
        .contentType(ContentType.JSON)
        .body(Map.of("currentPassword", "not my password at all", "newPassword", NEW_PASSWORD))
        .post("/api/auth/password")
        .then()
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE);
    given()
        .auth()
        .oauth2(here)
        .contentType(ContentType.JSON)
        .body(Map.of("currentPassword", PASSWORD, "newPassword", "password1234"))
        .post("/api/auth/password")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    given().auth().oauth2(elsewhere).get("/api/auth/me").then().statusCode(200);

    given()
        .auth()
        .oauth2(here)
        .contentType(ContentType.JSON)
        .body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD))
        .post("/api/auth/password")
        .then()
        .statusCode(204);
    given().auth().oauth2(elsewhere).get("/api/auth/me").then().statusCode(401);
    given().auth().oauth2(here).get("/api/auth/me").then().statusCode(200);
    client()
        .body(Map.of("email", email, "password", PASSWORD))
        .post("/api/auth/login")
        .then()
        .statusCode(401);
    login(email, NEW_PASSWORD, "again");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD))
        .post("/api/auth/password")
        .then()
        .statusCode(401);
  }

  /**
   * Someone logging in with the old password while it is being changed (the change waits here on
   * the user's row; the login reads the old hash and opens its session meanwhile) is logged out
   * with the others: changing a leaked password ends every session that password opened.
   */
  @Test
  void aLoginRacingAPasswordChangeDoesNotOutliveIt() throws Exception {
    String email = registered();
    String here = login(email, PASSWORD, "here");
    long userId = data.count("select id from users where email = $1", email);
    AtomicReference<String> opened = new AtomicReference<>();

    int status =
        whileTheUserRowChanges(
            userId,
            HELD,
            () ->
                given()
                    .auth()
                    .oauth2(here)
                    .contentType(ContentType.JSON)
                    .body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD))
                    .post("/api/auth/password")
                    .statusCode(),
            () -> {
              opened.set(login(email, PASSWORD, "intruder"));
              given().auth().oauth2(opened.get()).get("/api/auth/me").then().statusCode(200);
            });

    assertThat(status).isEqualTo(204);
    String intruder = opened.get();
    given().auth().oauth2(intruder).get("/api/auth/me").then().statusCode(401);
    given()
        .auth()
        .oauth2(here)
        .get("/api/auth/sessions")
        .then()
        .statusCode(200)
        .body("items", hasSize(1));
    // and the nightly clean-up removes its row
    Jobs.runAndWait(data.account(Role.ADMIN).token(), "session-cleanup");
    assertThat(data.count("select count(*) from sessions where user_id = $1", userId)).isOne();
  }

  /** Holds the user's row ($1) the way an update of a column does, without changing any. */
  private static final String HELD = "select 1 from users where id = $1 for no key update";

  private int whileTheUserRowChanges(long userId, String change, Callable<Integer> request)
      throws Exception {
    return whileTheUserRowChanges(userId, change, request, () -> {});
  }

  /**
   * Runs {@code request} while another transaction holds a change of the user's row uncommitted
   * ({@code change}, $1 the user's id); once the request waits on that row, runs {@code meanwhile}
   * and commits the change. Rows of other tables referring to the user (a new session) do not wait
   * on it.
   */
  private int whileTheUserRowChanges(
      long userId, String change, Callable<Integer> request, Runnable meanwhile) throws Exception {
    try (OtherTransaction other = data.otherTransaction()) {
      return other.run(change, userId).commitOnceWaiting(request, meanwhile);
    }
  }

  /** A registered user with a session, and the password hash a racing reset will set. */
  private record Racing(long userId, String session, String resetHash) {
    RequestSpecification request() {
      return given().auth().oauth2(session).contentType(ContentType.JSON);
    }
  }

  private Racing racing() {
    String email = registered();
    return new Racing(
        data.count("select id from users where email = $1", email),
        login(email, PASSWORD, "racing"),
        "reset-" + TestData.unique("hash"));
  }

  /** The status of {@code request}, run while a reset of the user's password commits. */
  private int whileAResetCommits(Racing user, Callable<Integer> request) throws Exception {
    return whileTheUserRowChanges(
        user.userId(),
        "update users set password_hash = '" + user.resetHash() + "' where id = $1",
        request);
  }

  /** Whether the user's row has the reset's password and matches {@code condition}. */
  private boolean resetStands(Racing user, String condition) {
    return data.count(
            "select count(*) from users where id = $1 and password_hash = $2 and " + condition,
            user.userId(),
            user.resetHash())
        == 1;
  }

  /**
   * A password change checked against the password a reset replaced meanwhile sets nothing: whoever
   * held the old password (and a session the reset ended) cannot take the account back.
   */
  @Test
  void aPasswordChangeCheckedAgainstAPasswordResetMeanwhileSetsNothing() throws Exception {
    Racing intruder = racing();

    int status =
        whileAResetCommits(
            intruder,
            () ->
                intruder
                    .request()
                    .body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD))
                    .post("/api/auth/password")
                    .statusCode());

    assertThat(status).isEqualTo(403);
    assertThat(resetStands(intruder, "true")).isTrue();
  }

  /**
   * A rename writes the name only: a password reset, role change or disabling committed while it
   * ran is not put back to what the rename had read.
   */
  @Test
  void aRenameLeavesWhatChangedMeanwhileAlone() throws Exception {
    Racing user = racing();

    int status =
        whileAResetCommits(
            user,
            () ->
                user.request()
                    .body(Map.of("displayName", "Renamed Meanwhile"))
                    .patch("/api/users/me")
                    .statusCode());

    assertThat(status).isEqualTo(200);
    assertThat(resetStands(user, "display_name = 'Renamed Meanwhile'")).isTrue();
  }

  /**
   * Deleting the account with the password a reset replaced meanwhile deletes nothing: the proof
   * was of a password that is no longer the account's.
   */
  @Test
  void aDeletionCheckedAgainstAPasswordResetMeanwhileDeletesNothing() throws Exception {
    Racing intruder = racing();

    int status =
        whileAResetCommits(
            intruder,
            () ->
                intruder
                    .request()
                    .body(Map.of("password", PASSWORD))
                    .delete("/api/users/me")
                    .statusCode());

    assertThat(status).isEqualTo(403);
    assertThat(resetStands(intruder, "deleted_at is null")).isTrue();
  }

  /** A rename that meets the account's deletion finds it gone: the anonymized row keeps no name. */
  @Test
  void aRenameRacingTheAccountsDeletionWritesNoName() throws Exception {
    String email = registered();
    String session = login(email, PASSWORD, "renaming");
    long userId = data.count("select id from users where email = $1", email);

    int status =
        whileTheUserRowChanges(
            userId,
            "update users set deleted_at = now(), display_name = 'Deleted user' where id = $1",
            () ->
                given()
                    .auth()
                    .oauth2(session)
                    .contentType(ContentType.JSON)
                    .body(Map.of("displayName", "Still Here"))
                    .patch("/api/users/me")
                    .statusCode());

    assertThat(status).isEqualTo(404);
    assertThat(
            data.count(
                "select count(*) from users where id = $1 and display_name = 'Deleted user'",
                userId))
        .isOne();
  }

  @Test
  void aChangeToTheCurrentPasswordOrTheAddressIsRefusedAndEndsNoSession() {
    String email = registered();
    String here = login(email, PASSWORD, "here");
    String elsewhere = login(email, PASSWORD, "elsewhere");
    String local = email.substring(0, email.indexOf('@'));
    for (String newPassword : new String[] {PASSWORD, email, local.toUpperCase(Locale.ROOT)}) {
      given()
          .auth()
          .oauth2(here)
          .contentType(ContentType.JSON)
          .body(Map.of("currentPassword", PASSWORD, "newPassword", newPassword))
          .post("/api/auth/password")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("errors.field", contains("newPassword"));
    }
    given().auth().oauth2(elsewhere).get("/api/auth/me").then().statusCode(200);
    login(email, PASSWORD, "unchanged");
  }

  @Test
  void aResetToTheAddressIsRefusedAndKeepsTheToken() {
    String email = registered();
    client().body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(202);
    String token = tokenIn(resetMails(email, 1).get(0));
    String session = login(email, PASSWORD, "before reset");
    String local = email.substring(0, email.indexOf('@'));
    for (String newPassword : new String[] {email.toUpperCase(Locale.ROOT), local}) {
      client()
          .body(Map.of("token", token, "newPassword", newPassword))
          .post("/api/auth/password-reset/confirm")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("errors.field", contains("newPassword"));
    }
    given().auth().oauth2(session).get("/api/auth/me").then().statusCode(200);
    login(email, PASSWORD, "unchanged");
    // the refused attempts left the token usable
    client()
        .body(Map.of("token", token, "newPassword", NEW_PASSWORD))
        .post("/api/auth/password-reset/confirm")
        .then()
        .statusCode(204);
    login(email, NEW_PASSWORD, "after reset");
  }

  @Test
  void passwordResetIsAlwaysAcceptedAndItsTokenWorksOnce() {
    String email = registered();
    String session = login(email, PASSWORD, "before reset");
    String unknown = "nobody-" + email;
    Response forUnknown = client().body(Map.of("email", unknown)).post("/api/auth/password-reset");
    Response forKnown = client().body(Map.of("email", email)).post("/api/auth/password-reset");
    assertThat(forUnknown.statusCode()).isEqualTo(202);
    assertThat(forKnown.statusCode()).isEqualTo(202);
    assertThat(forKnown.asString()).isEqualTo(forUnknown.asString());
    // at most one reset mail a minute (the first is mailed by then)
    resetMails(email, 1);
    client().body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(202);
    // and the refused one wrote nothing: no row lock, so no transaction id and no commit to flush
    assertThat(
            data.count(
                "select count(*) from account_mails m join users u on u.id = m.user_id"
                    + " where u.email = $1 and m.kind = 'RESET_PASSWORD' and m.xmax::text <> '0'",
                email))
        .isZero();

    List<Mail> resets = resetMails(email, 1);
    assertThat(resets).hasSize(1);
    assertThat(mailbox.getMailsSentTo(unknown)).isEmpty();
    String token = tokenIn(resets.get(0));
    long userId = data.count("select id from users where email = $1", email);
    assertThat(
            data.count(
                "select count(*) from account_tokens where user_id = $1"
                    + " and purpose = 'RESET_PASSWORD' and token_hash = $2"
                    + " and expires_at between now() + interval '29 minutes'"
                    + " and now() + interval '31 minutes'",
                userId,
                Buffer.buffer(Tokens.hash(token))))
        .isEqualTo(1);

    client()
        .body(Map.of("token", token, "newPassword", "weak"))
        .post("/api/auth/password-reset/confirm")
        .then()
        .statusCode(400);
    client()
        .body(Map.of("token", token, "newPassword", NEW_PASSWORD))
        .post("/api/auth/password-reset/confirm")
        .then()
        .statusCode(204);
    given().auth().oauth2(session).get("/api/auth/me").then().statusCode(401);
    assertThat(data.count("select count(*) from sessions where user_id = $1", userId)).isZero();
    login(email, NEW_PASSWORD, "after reset");
    client()
        .body(Map.of("token", token, "newPassword", "yet another pass phrase"))
        .post("/api/auth/password-reset/confirm")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    login(email, NEW_PASSWORD, "still the reset one");
  }

  /**
   * The answer to a reset request never waits for the account's write: an address with an account
   * (a row written, a commit flushed, a mail rendered) would otherwise answer measurably later than
   * one without, telling who has an account. Here the user's row is locked, so that write cannot
   * even start, and the answer still comes; the mail follows once the lock is gone.
   */
  @Test
  void aResetRequestIsAnsweredBeforeTheAccountsWrite() throws Exception {
    String email = registered();
    SqlConnection other = pool.getConnection().await().indefinitely();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Transaction tx = other.begin().await().indefinitely();
      other
          .preparedQuery("select 1 from users where email = $1 for update")
          .execute(Tuple.of(email))
          .await()
          .indefinitely();
      Future<Integer> answer =
          executor.submit(
              () ->
                  client()
                      .body(Map.of("email", email))
                      .post("/api/auth/password-reset")
                      .statusCode());
      try {
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(202);
      } finally {
        tx.rollback().await().indefinitely();
      }
    } finally {
      executor.shutdownNow();
      other.close().await().indefinitely();
    }
    assertThat(resetMails(email, 1)).hasSize(1);
  }

  /** A disabled account stays out: no reset mail goes out and an earlier token sets nothing. */
  @Test
  void aDisabledAccountCannotResetItsPassword() {
    String email = registered();
    client().body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(202);
    String token = tokenIn(resetMails(email, 1).get(0));
    long userId = data.count("select id from users where email = $1", email);
    String admin = data.account(Role.ADMIN).token();
    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/users/" + userId + "/disable")
        .then()
        .statusCode(200);

    client()
        .body(Map.of("token", token, "newPassword", NEW_PASSWORD))
        .post("/api/auth/password-reset/confirm")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    // the mail interval no longer stands in the way: only the disable does
    data.execute("delete from account_mails where user_id = $1", Tuple.of(userId));
    client().body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(202);
    Awaitility.await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> resetMails(email, 1).size() == 1);
    assertThat(
            data.count(
                "select count(*) from account_tokens where user_id = $1"
                    + " and purpose = 'RESET_PASSWORD'",
                userId))
        .isEqualTo(1);

    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/users/" + userId + "/enable")
        .then()
        .statusCode(200);
    login(email, PASSWORD, "enabled again, password unchanged");
  }

  @Test
  void anExpiredResetTokenIsRefused() {
    String email = registered();
    client().body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(202);
    String token = tokenIn(resetMails(email, 1).get(0));
    data.execute(
        "update account_tokens set expires_at = now() - interval '1 second'"
            + " where token_hash = $1",
        Tuple.of(Buffer.buffer(Tokens.hash(token))));
    client()
        .body(Map.of("token", token, "newPassword", NEW_PASSWORD))
        .post("/api/auth/password-reset/confirm")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    login(email, PASSWORD, "unchanged");

    Jobs.runAndWait(data.account(Role.ADMIN).token(), "session-cleanup");
    assertThat(
            data.count(
                "select count(*) from account_tokens where token_hash = $1",
                Buffer.buffer(Tokens.hash(token))))
        .isZero();
  }

  private List<Mail> resetMails(String email, int atLeast) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                mailbox.getMailsSentTo(email).stream()
                        .filter(m -> m.getSubject().startsWith("Reset"))
                        .count()
                    >= atLeast);
    return mailbox.getMailsSentTo(email).stream()
        .filter(m -> m.getSubject().startsWith("Reset"))
        .toList();
  }

  @Test
  void usersListAndEndTheirOwnSessionsOnly() {
    String email = registered();
    String first = login(email, PASSWORD, "Browser One");
    String second = login(email, PASSWORD, "Browser Two");
    TestData.Account stranger = data.account(Role.STUDENT);

    String body =
        given()
            .auth()
            .oauth2(second)
            .get("/api/auth/sessions")
            .then()
            .statusCode(200)
            .body("items", hasSize(2))
            .body("items[0].userAgent", equalTo("Browser Two"))
            .body("items[0].current", equalTo(true))
            .body("items[1].userAgent", equalTo("Browser One"))
            .body("items[1].current", equalTo(false))
            .body("items[1].createdAt", notNullValue())
            .body("items[1].lastUsedAt", notNullValue())
            .body("next", nullValue())
            .extract()
            .asString();
    assertThat(body).doesNotContain(first).doesNotContain(second);
    String next =
        given()
            .auth()
            .oauth2(second)
            .queryParam("limit", 1)
            .get("/api/auth/sessions")
            .then()
            .statusCode(200)
            .body("items", hasSize(1))
            .extract()
            .path("next");
    given()
        .auth()
        .oauth2(second)
        .queryParam("limit", 1)
        .queryParam("cursor", next)
        .get("/api/auth/sessions")
        .then()
        .statusCode(200)
        .body("items[0].userAgent", equalTo("Browser One"));
    long firstId =
        ((Number)
                given()
                    .auth()
                    .oauth2(second)
                    .get("/api/auth/sessions")
                    .then()
                    .extract()
                    .path("items[1].id"))
            .longValue();

    // someone else's session is not found, and stays
    given()
        .auth()
        .oauth2(stranger.token())
        .delete("/api/auth/sessions/" + firstId)
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    given().auth().oauth2(first).get("/api/auth/me").then().statusCode(200);

    given().auth().oauth2(second).delete("/api/auth/sessions/" + firstId).then().statusCode(204);
    given().auth().oauth2(first).get("/api/auth/me").then().statusCode(401);
    given().auth().oauth2(second).get("/api/auth/me").then().statusCode(200);
    given().auth().oauth2(second).delete("/api/auth/sessions/" + firstId).then().statusCode(404);

    String third = login(email, PASSWORD, "Browser Three");
    given().auth().oauth2(third).delete("/api/auth/sessions").then().statusCode(204);
    given().auth().oauth2(second).get("/api/auth/me").then().statusCode(401);
    given().auth().oauth2(third).get("/api/auth/me").then().statusCode(401);
    given().auth().oauth2(stranger.token()).get("/api/auth/me").then().statusCode(200);
  }

  @Test
  void aRoleChangeTakesANewLogin() {
    String email = registered();
    String token = login(email, PASSWORD, "before");
    long userId = data.count("select id from users where email = $1", email);
    given().auth().oauth2(token).get("/api/auth/me").then().body("role", equalTo("STUDENT"));
    given()
        .auth()
        .oauth2(data.account(Role.ADMIN).token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "MENTOR"))
        .put("/api/admin/users/" + userId + "/role")
        .then()
        .statusCode(200);
    given().auth().oauth2(token).get("/api/auth/me").then().statusCode(401);
    String fresh = login(email, PASSWORD, "after");
    assertThat(fresh).isNotEqualTo(token);
    given().auth().oauth2(fresh).get("/api/auth/me").then().body("role", equalTo("MENTOR"));
  }

  @Test
  void aSessionIdleForLongerThanTheTimeoutIsRefused() {
    TestData.Account idle = data.account(Role.STUDENT);
    data.execute(
        "update sessions set last_used_at = now() - make_interval(secs => $2)"
            + " where user_id = $1",
        Tuple.of(idle.id(), (double) activity.idleTimeout().toSeconds() + 60));
    given().auth().oauth2(idle.token()).get("/api/auth/me").then().statusCode(401);
  }

  @Test
  void lastUseIsRecordedWithoutAWritePerRequest() {
    TestData.Account account = data.account(Role.STUDENT);
    data.execute(
        "update sessions set last_used_at = now() - interval '10 minutes' where user_id = $1",
        Tuple.of(account.id()));
    var cold =
        Statements.count(
            () ->
                given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(200));
    var warm =
        Statements.count(
            () ->
                given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(200));
    assertThat(cold.statements()).isEqualTo(1);
    assertThat(warm.statements()).isZero();
    assertThat(
            data.count(
                "select count(*) from sessions where user_id = $1"
                    + " and last_used_at < now() - interval '5 minutes'",
                account.id()))
        .isEqualTo(1);

    assertThat(activity.flush().await().atMost(Duration.ofSeconds(5))).isPositive();
    assertThat(
            data.count(
                "select count(*) from sessions where user_id = $1"
                    + " and last_used_at > now() - interval '1 minute'",
                account.id()))
        .isEqualTo(1);
  }
}
