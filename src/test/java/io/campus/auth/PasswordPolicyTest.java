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
}
