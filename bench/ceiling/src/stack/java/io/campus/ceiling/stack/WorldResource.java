package io.campus.ceiling.stack;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * One endpoint touching each layer as an app's would (a constraint, a fault-tolerance timeout, a
 * security annotation, Redis, a Panache read, Jackson), so each extension has a bean to process at
 * build time. GET /json stays the constant endpoint that is measured.
 */
@Path("/world")
public class WorldResource {

  @Inject ReactiveRedisDataSource redis;

  @GET
  @Path("/{id}")
  @PermitAll
  @Timeout(value = 2, unit = ChronoUnit.SECONDS)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<World> world(@PathParam("id") @Positive int id) {
    return redis
        .key()
        .exists("world:" + id)
        .onFailure()
        .recoverWithItem(false)
        .chain(() -> World.<World>findById(id));
  }
}
