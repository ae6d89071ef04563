package io.campus.platform.cache;

import io.campus.platform.common.Cursor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * Cursors are signed with a key derived from {@code campus.cache.hmac-key}, so a cursor one
 * instance handed out is read by every other; without that secret each instance keeps a random key.
 */
@ApplicationScoped
class CursorSigningKey {

  void onStart(@Observes StartupEvent event, CacheConfig config) {
    config
        .hmacKey()
        .filter(key -> !key.isBlank())
        .ifPresent(key -> Cursor.signWith(("cursor|" + key).getBytes(StandardCharsets.UTF_8)));
  }
}
