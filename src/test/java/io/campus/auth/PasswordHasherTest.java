package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.elytron.security.common.BcryptUtil;
import org.junit.jupiter.api.Test;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

class PasswordHasherTest {

  @Test
  void theDummyHashIsAValidBcryptHashAtTheConfiguredCost() throws Exception {
    for (int cost : new int[] {4, 10, 12}) {
      String dummy = PasswordHasher.dummyHash(cost);
      // Decodes (a hash that did not would fail fast, and an unknown email would answer sooner).
      BCryptPassword decoded = (BCryptPassword) ModularCrypt.decode(dummy);
      assertThat(decoded.getIterationCount()).isEqualTo(cost);
      assertThat(BcryptUtil.matches("campus-timing-equaliser", dummy)).isFalse();
    }
  }

  @Test
  void checkingAgainstTheDummyCostsAsMuchAsAgainstARealHash() {
    String real = BcryptUtil.bcryptHash("kx7!vq2mzp4w", 8);
    String dummy = PasswordHasher.dummyHash(8);
    BcryptUtil.matches("warm-up-the-jit", real);
    BcryptUtil.matches("warm-up-the-jit", dummy);
    long realNanos = Long.MAX_VALUE;
    long dummyNanos = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      BcryptUtil.matches("wrong-password", real);
      long middle = System.nanoTime();
      BcryptUtil.matches("wrong-password", dummy);
      long end = System.nanoTime();
      realNanos = Math.min(realNanos, middle - start);
      dummyNanos = Math.min(dummyNanos, end - middle);
    }
    assertThat((double) dummyNanos).isBetween(realNanos * 0.5, realNanos * 2.0);
  }
}
