package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  @Test
  void lengthIsCountedInCharactersAndBoundedInUtf8Bytes() {
    assertThat(PasswordPolicy.problem("kx7!vq2mzp4")).contains("at least 12"); // 11
    assertThat(PasswordPolicy.problem("kx7!vq2mzp4w")).isNull(); // 12
    // 12 characters but 4 bytes each: fine for bcrypt (48 bytes)
    assertThat(PasswordPolicy.problem("🎓📚🧪🎨🎭🎬🎤🎧🎮🎲🎯🎳")).isNull();
    // 37 characters, 74 bytes: bcrypt would ignore the last two bytes
    assertThat(PasswordPolicy.problem("é".repeat(37))).contains("72 bytes");
    assertThat(PasswordPolicy.problem("é".repeat(35) + "xy")).isNull(); // 72 bytes
    assertThat(PasswordPolicy.problem("x7" + "k".repeat(70))).isNull();
    assertThat(PasswordPolicy.problem("x7" + "k".repeat(71))).contains("72 bytes");
  }

  @Test
  void commonPasswordsAndTheirObviousVariantsAreRefused() {
    for (String common :
        new String[] {
          "1234567890123",
          "qwertyuiop!!",
          "PASSWORD1234",
          "password1234",
          "!!dragon2024!!",
          "monkeymonkey",
          "aaaaaaaaaaaa",
          "abcabcabcabc",
          "123412341234",
          "            "
        }) {
      assertThat(PasswordPolicy.problem(common)).as(common).contains("too common");
    }
    assertThat(PasswordPolicy.problem("correct horse battery")).isNull();
    assertThat(PasswordPolicy.problem("dragon-fruit-salad")).isNull();
  }

  @Test
  void thePasswordIsNotTheAccountsOwnAddressOrItsLocalPart() {
    String email = "ada.lovelace.1815@example.org";
    for (String personal :
        new String[] {
          "ada.lovelace.1815@example.org", "ADA.Lovelace.1815@Example.ORG", "ada.lovelace.1815"
        }) {
      assertThat(PasswordPolicy.problem(personal, email)).as(personal).contains("email address");
    }
    // the general rules still come first
    assertThat(PasswordPolicy.problem("ada", "ada@example.org")).contains("at least 12");
    assertThat(PasswordPolicy.problem("ada.lovelace.1815!", email)).isNull();
    assertThat(PasswordPolicy.problem("correct horse battery", email)).isNull();
  }

  @Test
  void aChangedPasswordDiffersFromTheCurrentOne() {
    String email = "ada@example.org";
    assertThat(
            PasswordPolicy.problemOfChange("correct horse battery", "correct horse battery", email))
        .contains("current password");
    // passwords are case-sensitive: another case is another password
    assertThat(
            PasswordPolicy.problemOfChange("correct horse battery", "Correct Horse Battery", email))
        .isNull();
    assertThat(
            PasswordPolicy.problemOfChange(
                "correct horse battery",
                "ada.lovelace.1815@example.org",
                "ada.lovelace.1815@example.org"))
        .contains("email address");
  }
}
