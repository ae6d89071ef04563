package io.campus.platform.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import io.campus.platform.cache.LocalCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.RuntimeDelegate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Conditional GET for public resources: a weak ETag derived from the response's JSON and {@code 304
 * Not Modified} when the client has it already.
 *
 * <p>Public values come from the cache as shared instances, and the same few are asked for over and
 * over: each is rendered to JSON and hashed once, and every later response writes those bytes (weak
 * keys: the rendering compares by identity and leaves with the value). Resources declare {@code
 * RestResponse<byte[]>}, so Quarkus REST picks the byte writer at build time rather than searching
 * its writers for every response, and the header values are formatted once too. One caller's cached
 * values (a dashboard, a feed) are served the same way, without the public headers ({@link
 * #personal}): rendering them per response was most of what a cached per-user read cost.
 */
@ApplicationScoped
public class HttpCaching {

  private record Rendered(EntityTag tag, String etagHeader, byte[] json) {}

  private record Policy(int maxAgeSeconds, boolean mustRevalidate) {}

  private final Cache<Object, Rendered> rendered =
      LocalCaches.builder().weakKeys().maximumSize(50_000).build();
  // One caller's values (a dashboard, a feed) are shared cache instances too; they need no tag.
  private final Cache<Object, byte[]> personal =
      LocalCaches.builder().weakKeys().maximumSize(50_000).build();
  private final ConcurrentMap<Policy, String> cacheControlHeaders = new ConcurrentHashMap<>();
  private final ObjectMapper mapper;

  public HttpCaching(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public RestResponse<byte[]> conditional(Request request, Object entity, int maxAgeSeconds) {
    return conditional(request, entity, maxAgeSeconds, false);
  }

  /** Like {@link #conditional}, but no cache may serve the response once it is stale. */
  public RestResponse<byte[]> revalidated(Request request, Object entity, int maxAgeSeconds) {
    return conditional(request, entity, maxAgeSeconds, true);
  }

  /** JSON for a response no shared cache may keep (a draft only its authors see): no ETag. */
  public RestResponse<byte[]> uncached(Object entity) {
    return RestResponse.ok(render(entity).json());
  }

  /**
   * JSON for one caller's value from the cache (their dashboard, feed, leaderboard view): rendered
   * once per shared instance, as the public ones are, but without a tag or caching headers.
   */
  public RestResponse<byte[]> personal(Object entity) {
    return RestResponse.ok(personal.get(Objects.requireNonNull(entity), this::json));
  }

  private RestResponse<byte[]> conditional(
      Request request, Object entity, int maxAgeSeconds, boolean mustRevalidate) {
    Rendered body = entity == null ? render(null) : rendered.get(entity, this::render);
    String cacheControl =
        cacheControlHeaders.computeIfAbsent(
            new Policy(maxAgeSeconds, mustRevalidate), HttpCaching::cacheControl);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(body.tag());
    if (notModified != null) {
      return RestResponse.ResponseBuilder.<byte[]>create(RestResponse.Status.NOT_MODIFIED)
          .header(HttpHeaders.CACHE_CONTROL, cacheControl)
          .header(HttpHeaders.ETAG, body.etagHeader())
          .build();
    }
    return RestResponse.ResponseBuilder.ok(body.json())
        .header(HttpHeaders.CACHE_CONTROL, cacheControl)
        .header(HttpHeaders.ETAG, body.etagHeader())
        .build();
  }

  private static String cacheControl(Policy policy) {
    CacheControl control = new CacheControl();
    control.setMaxAge(policy.maxAgeSeconds());
    control.setPrivate(false);
    control.setMustRevalidate(policy.mustRevalidate());
    return RuntimeDelegate.getInstance().createHeaderDelegate(CacheControl.class).toString(control);
  }

  private byte[] json(Object entity) {
    try {
      return mapper.writeValueAsBytes(entity);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + entity.getClass().getSimpleName(), e);
    }
  }

  private Rendered render(Object entity) {
    try {
      byte[] json = json(entity);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
      EntityTag tag = new EntityTag(HexFormat.of().formatHex(hash, 0, 16), true);
      String header =
          RuntimeDelegate.getInstance().createHeaderDelegate(EntityTag.class).toString(tag);
      return new Rendered(tag, header, json);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot render " + entity.getClass().getSimpleName(), e);
    }
  }
}
