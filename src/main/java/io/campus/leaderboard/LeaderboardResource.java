package io.campus.leaderboard;

import io.campus.auth.Caller;
import io.campus.platform.common.HttpCaching;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/leaderboard")
@Tag(name = "leaderboard")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class LeaderboardResource {

  private final LeaderboardService leaderboard;
  private final SecurityIdentity identity;
  private final HttpCaching caching;

  public LeaderboardResource(
      LeaderboardService leaderboard, SecurityIdentity identity, HttpCaching caching) {
    this.leaderboard = leaderboard;
    this.identity = identity;
    this.caching = caching;
  }

  /** Top users by points and the caller's rank; ranks are refreshed periodically, see asOf. */
  @GET
  @APIResponse(
      responseCode = "200",
      description = "The top users and the caller's own rank",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = LeaderboardDtos.Leaderboard.class)))
  public Uni<RestResponse<byte[]>> top(@QueryParam("limit") String limit) {
    return leaderboard
        .top(Caller.of(identity), LeaderboardService.limit(limit))
        .map(caching::personal);
  }
}
