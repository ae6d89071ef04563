package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountMailsTest {

  /**
   * SMTP servers name the refused recipient in their reply, and the mailer puts it in the error.
   */
  @Test
  void aFailedMailIsLoggedWithoutTheAddress() {
    String logged =
        AccountMails.describe(
            new IllegalStateException(
                "550 5.1.1 <jane.doe+campus@mail.example.org>: Recipient address rejected",
                new RuntimeException("RCPT TO:jane.doe+campus@mail.example.org refused")));

    assertThat(logged)
        .doesNotContain("jane.doe")
        .doesNotContain("example.org")
        .contains("IllegalStateException")
        .contains("550 5.1.1")
        .contains("Recipient address rejected")
        .contains("refused");
  }
}
