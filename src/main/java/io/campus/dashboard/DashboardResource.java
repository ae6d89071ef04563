package io.campus.dashboard;

import io.campus.auth.Caller;
import io.campus.platform.common.HttpCaching;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/dashboard")
@Tag(name = "dashboard")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

  private final DashboardService dashboards;
  private final SecurityIdentity identity;
  private final HttpCaching caching;

  public DashboardResource(
      DashboardService dashboards, SecurityIdentity identity, HttpCaching caching) {
    this.dashboards = dashboards;
    this.identity = identity;
    this.caching = caching;
  }

  @GET
  @APIResponse(
      responseCode = "200",
      description = "The caller's dashboard",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DashboardDtos.Dashboard.class)))
  public Uni<RestResponse<byte[]>> mine() {
    return dashboards.mine(Caller.of(identity)).map(caching::personal);
  }
}
