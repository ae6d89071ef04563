package io.campus.dashboard;

import io.campus.auth.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/dashboard")
@Tag(name = "dashboard")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

  private final DashboardService dashboards;
  private final SecurityIdentity identity;

  public DashboardResource(DashboardService dashboards, SecurityIdentity identity) {
    this.dashboards = dashboards;
    this.identity = identity;
  }

  @GET
  public Uni<DashboardDtos.Dashboard> mine() {
    return dashboards.mine(Caller.of(identity));
  }
}
