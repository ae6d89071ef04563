package io.campus.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Conditional GET for public resources: a weak ETag derived from the response value (records have a
 * complete, deterministic toString) and {@code 304 Not Modified} when the client has it already.
 */
public final class HttpCaching {

  // Cached values are shared instances: each is hashed once. Weak keys compare by identity and
  // leave with the value.
  private static final Cache<Object, EntityTag> TAGS =
      Caffeine.newBuilder().weakKeys().maximumSize(50_000).build();

  private HttpCaching() {}

  public static Response conditional(Request request, Object entity, int maxAgeSeconds) {
    return conditional(request, entity, maxAgeSeconds, false);
  }

  /** Like {@link #conditional}, but no cache may serve the response once it is stale. */
  public static Response revalidated(Request request, Object entity, int maxAgeSeconds) {
    return conditional(request, entity, maxAgeSeconds, true);
  }

  private static Response conditional(
      Request request, Object entity, int maxAgeSeconds, boolean mustRevalidate) {
    EntityTag tag =
        entity == null
            ? new EntityTag(digest("null"), true)
            : TAGS.get(entity, e -> new EntityTag(digest(String.valueOf(e)), true));
    CacheControl control = new CacheControl();
    control.setMaxAge(maxAgeSeconds);
    control.setPrivate(false);
    control.setMustRevalidate(mustRevalidate);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    if (notModified != null) {
      return notModified.cacheControl(control).tag(tag).build();
    }
    return Response.ok(entity).cacheControl(control).tag(tag).build();
  }

  private static String digest(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
