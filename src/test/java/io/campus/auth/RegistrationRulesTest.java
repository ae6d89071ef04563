package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What registration and a reset request accept as an address and a name. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class RegistrationRulesTest {

  private static final String PASSWORD = "correct horse battery";

  @Inject TestData data;
  @Inject AccountMails mails;

  private static Response register(String email, String displayName) {
    return Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD, "displayName", displayName))
        .post("/api/auth/register");
  }

  private static Response requestReset(String email) {
    return Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email))
        .post("/api/auth/password-reset");
  }

  private long users(String email) {
    return data.count("select count(*) from users where lower(email) = lower($1)", email);
  }

  private static void refusedNaming(Response response, String field) {
    response
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", hasItem(field))
        .body("errors.field", everyItem(equalTo(field)));
  }

  @Test
  void theAddressesOfDeletedAccountsCannotBeRegistered() {
    long someId = data.account(io.campus.user.Role.STUDENT).id() + 1000;
    for (String email :
        new String[] {
          "deleted-" + someId + "@invalid",
          "DELETED-" + someId + "@INVALID",
          TestData.unique("x") + "@mail.invalid",
          TestData.unique("x") + "@invalid."
        }) {
      refusedNaming(register(email, "Squatter"), "email");
      assertThat(users(email)).as(email).isZero();
    }
  }

  @Test
  void addressesTheMailerCannotSendToAreRefusedBeforeAnythingIsWritten() {
    String quoted = "\"a b,c" + TestData.unique("q") + "\"@example.com";
    refusedNaming(register(quoted, "Quoted"), "email");
    assertThat(users(quoted)).isZero();
    assertThat(
            data.count(
                "select count(*) from account_tokens t join users u on u.id = t.user_id"
                    + " where lower(u.email) = lower($1)",
                quoted))
        .isZero();
  }

  @Test
  void addressesWithoutAPublicDomainAreRefused() {
    String local = TestData.unique("x");
    for (String email :
        new String[] {local + "@b", local + "@localhost", local + "@[127.0.0.1]", local + "@b."}) {
      refusedNaming(register(email, "Nowhere"), "email");
      assertThat(users(email)).as(email).isZero();
    }
  }

  @Test
  void aResetRequestAnswersAlikeForAnUnmailableAddressWithAndWithoutAnAccount() {
    String existing = "\"a b,c" + TestData.unique("e") + "\"@example.com";
    data.execute(
        "insert into users (email, display_name, role, password_hash)"
            + " values ($1, 'Old', 'STUDENT', 'x')",
        Tuple.of(existing));
    String unknown = "\"a b,c" + TestData.unique("u") + "\"@example.com";
    Response forExisting = requestReset(existing);
    Response forUnknown = requestReset(unknown);
    assertThat(forExisting.statusCode()).isEqualTo(forUnknown.statusCode()).isLessThan(500);
    assertThat(forExisting.asString()).isEqualTo(forUnknown.asString());
  }

  @Test
  void aMailThatCannotBeSentIsLoggedNotThrown() {
    assertThatCode(() -> mails.confirmEmail("\"a b,c\"@example.com", "Quoted", "token"))
        .doesNotThrowAnyException();
  }

  @Test
  void registrationRefusesTheNamesAProfileUpdateRefuses() {
    for (String bad :
        new String[] {"Evil\u001b[31mName\nInjected\u202e", "line\nbreak", "right\u202eleft"}) {
      String email = TestData.unique("name") + "@example.org";
      refusedNaming(register(email, bad), "displayName");
      assertThat(users(email)).isZero();
    }
  }
}
