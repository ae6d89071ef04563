package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.campus.platform.common.Page;
import org.junit.jupiter.api.Test;

/** What makes a value cached by another version of Campus a miss. */
class CacheSpecTest {

  record Item(long id, String title) {}

  record Other(long id, String title, int extra) {}

  @Test
  void aChangedValueShapeChangesTheFingerprint() {
    assertThat(CacheSpec.of("x", Item.class).fingerprint())
        .isEqualTo(CacheSpec.of("y", Item.class).fingerprint())
        .isNotEqualTo(CacheSpec.of("x", Other.class).fingerprint());
  }

  /**
   * A cached page holds the cursor of the next one: a page written by a version whose cursors this
   * one refuses (another cursor format) would hand out a page 2 that answers 400, so its
   * fingerprint names the cursor format, and values without cursors do not.
   */
  @Test
  void aCachedPagesFingerprintNamesTheCursorFormat() {
    var pages = new TypeReference<Page<Item>>() {};
    String today = CacheSpec.of("pages", pages).fingerprint();

    assertThat(CacheSpec.fingerprintFor(pages, "c2")).isNotEqualTo(today);
    assertThat(CacheSpec.fingerprintFor(pages, "c-next")).isNotEqualTo(today);
    assertThat(CacheSpec.fingerprintFor(new TypeReference<Item>() {}, "c-next"))
        .isEqualTo(CacheSpec.of("items", Item.class).fingerprint());
  }
}
