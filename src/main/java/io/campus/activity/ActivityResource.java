package io.campus.activity;

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

@Path("/api/activity")
@Tag(name = "activity")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {

  private final ActivityService activity;
  private final PageSize pageSize;
  private final SecurityIdentity identity;

  public ActivityResource(ActivityService activity, PageSize pageSize, SecurityIdentity identity) {
    this.activity = activity;
    this.pageSize = pageSize;
    this.identity = identity;
  }

  @GET
  public Uni<Page<ActivityDtos.ActivityView>> mine(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return activity.mine(Caller.of(identity), cursor, pageSize.resolve(limit));
  }
}
