package io.campus.achievement;

import io.campus.auth.Caller;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/achievements")
@Tag(name = "achievements")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AchievementResource {

  private final AchievementService achievements;
  private final PageSize pageSize;
  private final SecurityIdentity identity;

  public AchievementResource(
      AchievementService achievements, PageSize pageSize, SecurityIdentity identity) {
    this.achievements = achievements;
    this.pageSize = pageSize;
    this.identity = identity;
  }

  @GET
  public Uni<Page<AchievementDtos.AchievementView>> catalogue(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return achievements.catalogue(cursor, pageSize.resolve(limit));
  }

  @GET
  @Path("/mine")
  public Uni<Page<AchievementDtos.AchievementProgress>> mine(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return achievements.mine(Caller.of(identity), cursor, pageSize.resolve(limit));
  }
}
