package io.campus.platform.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Conditional GET for public resources: a weak ETag derived from the response's JSON and {@code 304
 * Not Modified} when the client has it already.
 *
 * <p>Public values come from the cache as shared instances, and the same few are asked for over and
 * over: each is rendered to JSON and hashed once, and every later response writes those bytes (weak
 * keys: the rendering compares by identity and leaves with the value).
 */
@ApplicationScoped
public class HttpCaching {

  private record Rendered(EntityTag tag, byte[] json) {}

  private final Cache<Object, Rendered> rendered =
      Caffeine.newBuilder().weakKeys().maximumSize(50_000).build();
  private final ObjectMapper mapper;

  public HttpCaching(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Response conditional(Request request, Object entity, int maxAgeSeconds) {
    return conditional(request, entity, maxAgeSeconds, false);
  }

  /** Like {@link #conditional}, but no cache may serve the response once it is stale. */
  public Response revalidated(Request request, Object entity, int maxAgeSeconds) {
    return conditional(request, entity, maxAgeSeconds, true);
  }

  private Response conditional(
      Request request, Object entity, int maxAgeSeconds, boolean mustRevalidate) {
    Rendered body = entity == null ? render(null) : rendered.get(entity, this::render);
    CacheControl control = new CacheControl();
    control.setMaxAge(maxAgeSeconds);
    control.setPrivate(false);
    control.setMustRevalidate(mustRevalidate);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(body.tag());
    if (notModified != null) {
      return notModified.cacheControl(control).tag(body.tag()).build();
    }
    return Response.ok(body.json(), MediaType.APPLICATION_JSON_TYPE)
        .cacheControl(control)
        .tag(body.tag())
        .build();
  }

  private Rendered render(Object entity) {
    try {
      byte[] json = mapper.writeValueAsBytes(entity);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
      return new Rendered(new EntityTag(HexFormat.of().formatHex(hash, 0, 16), true), json);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot render " + entity.getClass().getSimpleName(), e);
    }
  }
}
