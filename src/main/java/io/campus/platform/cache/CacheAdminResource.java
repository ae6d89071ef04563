package io.campus.platform.cache;

import io.campus.audit.AuditEvent;
import io.campus.audit.AuditLog;
import io.campus.auth.Caller;
import io.campus.platform.common.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Admin operations on the cache: warm it, or invalidate a cache or a tag everywhere. */
@Path("/api/admin/cache")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class CacheAdminResource {

  private static final Logger LOG = Logger.getLogger(CacheAdminResource.class);

  @RegisterForReflection
  public record Invalidate(
      @Size(max = 60) @Pattern(regexp = "^[a-z0-9-]+$") String cache,
      @Size(max = 200) String tag,
      Boolean all) {}

  @RegisterForReflection
  public record Warmed(Map<String, Integer> entries, long millis) {}

  @RegisterForReflection
  public record Invalidated(String cache, String tag, boolean all) {}

  private final TwoLevelCache cache;
  private final Instance<CacheWarmer> warmers;
  private final AuditLog audit;
  private final SecurityIdentity identity;

  public CacheAdminResource(
      TwoLevelCache cache,
      Instance<CacheWarmer> warmers,
      AuditLog audit,
      SecurityIdentity identity) {
    this.cache = cache;
    this.warmers = warmers;
    this.audit = audit;
    this.identity = identity;
  }

  /** Runs every warmer one after another, each with bounded concurrency; reports what it loaded. */
  @POST
  @Path("/warm")
  public Uni<Warmed> warm(@QueryParam("concurrency") @Min(1) @Max(16) Integer concurrency) {
    int parallel = concurrency == null ? 4 : concurrency;
    long started = System.nanoTime();
    List<CacheWarmer> all = warmers.stream().toList();
    Map<String, Integer> report = new LinkedHashMap<>();
    return Multi.createFrom()
        .iterable(all)
        .onItem()
        .transformToUniAndConcatenate(
            warmer -> warmer.warm(parallel).invoke(n -> report.put(warmer.name(), n)))
        .collect()
        .last()
        .map(
            ignored -> {
              long millis = (System.nanoTime() - started) / 1_000_000;
              LOG.infof("Cache warmed in %d ms: %s", millis, report);
              return new Warmed(report, millis);
            });
  }

  @POST
  @Path("/invalidate")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Invalidated> invalidate(@Valid @NotNull Invalidate body) {
    boolean all = Boolean.TRUE.equals(body.all());
    int given = (body.cache() != null ? 1 : 0) + (body.tag() != null ? 1 : 0) + (all ? 1 : 0);
    if (given != 1) {
      throw ProblemException.invalidField("cache", "give exactly one of cache, tag or all: true");
    }
    // An unknown name or a blank tag would drop nothing, yet answer and audit as if it had.
    if (body.cache() != null) {
      Set<String> known = cache.configuredCacheNames();
      if (!known.contains(body.cache())) {
        throw ProblemException.invalidField(
            "cache", "unknown cache; known caches: " + String.join(", ", known));
      }
    }
    if (body.tag() != null && body.tag().isBlank()) {
      throw ProblemException.invalidField("tag", "must not be blank");
    }
    Uni<Void> work =
        all
            ? cache.invalidateAll()
            : body.cache() != null ? cache.invalidateCache(body.cache()) : cache.bump(body.tag());
    LOG.infof("Cache invalidated: cache=%s tag=%s all=%s", body.cache(), body.tag(), all);
    Invalidated done = new Invalidated(body.cache(), body.tag(), all);
    long actor = Caller.of(identity).id();
    return work.call(
            () ->
                audit.record(
                    AuditEvent.of(actor, AuditEvent.CACHE_INVALIDATED, "cache", null, null, done)))
        .replaceWith(done);
  }
}
