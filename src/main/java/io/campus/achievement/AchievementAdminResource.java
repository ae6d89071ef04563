package io.campus.achievement;

import io.campus.auth.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin-only: defining achievements. */
@Path("/api/admin/achievements")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class AchievementAdminResource {

  private final AchievementService achievements;
  private final SecurityIdentity identity;

  public AchievementAdminResource(AchievementService achievements, SecurityIdentity identity) {
    this.achievements = achievements;
    this.identity = identity;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = AchievementDtos.AchievementView.class)))
  public Uni<Response> create(@Valid @NotNull AchievementDtos.CreateAchievement body) {
    return achievements
        .create(body, Caller.of(identity))
        .map(a -> Response.status(Response.Status.CREATED).entity(a).build());
  }
}
