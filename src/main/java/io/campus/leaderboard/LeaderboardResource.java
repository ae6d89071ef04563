package io.campus.leaderboard;

import io.campus.auth.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/leaderboard")
@Tag(name = "leaderboard")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class LeaderboardResource {

  private final LeaderboardService leaderboard;
  private final SecurityIdentity identity;

  public LeaderboardResource(LeaderboardService leaderboard, SecurityIdentity identity) {
    this.leaderboard = leaderboard;
    this.identity = identity;
  }

  /** Top users by points and the caller's rank; ranks are refreshed periodically, see asOf. */
  @GET
  public Uni<LeaderboardDtos.Leaderboard> top(@QueryParam("limit") String limit) {
    return leaderboard.top(Caller.of(identity), LeaderboardService.limit(limit));
  }
}
