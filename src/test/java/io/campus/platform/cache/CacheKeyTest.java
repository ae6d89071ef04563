package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private enum Level {
    BEGINNER
  }

  @Test
  void inputsThatJoinedKeysConfusedGetDistinctKeys() {
    List<String> keys = new ArrayList<>();
    // String.valueOf(null) and the string "null"
    keys.add(CacheKey.of("b", 1L, null, null, 20));
    keys.add(CacheKey.of("b", 1L, "null", null, 20));
    keys.add(CacheKey.of("b", 1L, null, "null", 20));
    keys.add(CacheKey.of("b", 1L, "", null, 20));
    // the separator inside a part
    keys.add(CacheKey.of("b", 1L, "a|b", null, 20));
    keys.add(CacheKey.of("b", 1L, "a", "b", 20));
    keys.add(CacheKey.of("b", 1L, "a|b|", "", 20));
    // numbers and their digits as a string, an enum and its name
    keys.add(CacheKey.of("b", 1L, "20", null, null));
    keys.add(CacheKey.of("b", 1L, Level.BEGINNER, null, 20));
    keys.add(CacheKey.of("b", 1L, "BEGINNER", null, 20));
    // length prefixes inside a value
    keys.add(CacheKey.of("s1:a", null));
    keys.add(CacheKey.of("s", "a", null));
    keys.add(CacheKey.of(true));
    keys.add(CacheKey.of("T"));
    assertThat(new HashSet<>(keys)).hasSameSizeAs(keys);
  }

  @Test
  void sameInputsSameKey() {
    assertThat(CacheKey.of(7L, 3L, "c", 20)).isEqualTo(CacheKey.of(7L, 3L, "c", 20));
    assertThat(CacheKey.of("x".repeat(5000))).isEqualTo(CacheKey.of("x".repeat(5000)));
  }

  @Test
  void longAndUnicodeKeysAreBoundedAndDistinct() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String key = CacheKey.of("s", 1L, "x".repeat(10_000) + i, null, 20);
      assertThat(key.length()).isLessThanOrEqualTo(CacheKey.MAX_PLAIN_LENGTH);
      keys.add(key);
    }
    assertThat(keys).hasSize(50);
    // lone surrogates would all become '?' in a UTF-8 Redis key
    assertThat(CacheKey.of("\uD800")).isNotEqualTo(CacheKey.of("\uD801"));
    assertThat(CacheKey.of("数学|🎓")).isNotEqualTo(CacheKey.of("数学|🎒"));
  }

  @Test
  void refusesPartsWithoutAStableEncoding() {
    assertThatThrownBy(() -> CacheKey.of(new Object()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
