package io.campus.activity;

import io.campus.auth.Caller;
import io.campus.platform.common.HttpCaching;
import io.campus.platform.common.PageSize;
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

@Path("/api/activity")
@Tag(name = "activity")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {

  private final ActivityService activity;
  private final PageSize pageSize;
  private final SecurityIdentity identity;
  private final HttpCaching caching;

  public ActivityResource(
      ActivityService activity, PageSize pageSize, SecurityIdentity identity, HttpCaching caching) {
    this.activity = activity;
    this.pageSize = pageSize;
    this.identity = identity;
    this.caching = caching;
  }

  @GET
  @APIResponse(
      responseCode = "200",
      description = "One page of the caller's activity, newest first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ActivityDtos.ActivityPageSchema.class)))
  public Uni<RestResponse<byte[]>> mine(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return activity
        .mine(Caller.of(identity), cursor, pageSize.resolve(limit))
        .map(caching::personal);
  }
}
