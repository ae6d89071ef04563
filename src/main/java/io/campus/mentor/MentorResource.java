package io.campus.mentor;

import io.campus.auth.Caller;
import io.campus.platform.common.HttpCaching;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api")
@Tag(name = "mentors")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MentorResource {

  private final MentorService mentors;
  private final PageSize pageSize;
  private final SecurityIdentity identity;
  private final HttpCaching caching;

  public MentorResource(
      MentorService mentors, PageSize pageSize, SecurityIdentity identity, HttpCaching caching) {
    this.mentors = mentors;
    this.pageSize = pageSize;
    this.identity = identity;
    this.caching = caching;
  }

  @GET
  @Path("/mentors/{mentorId}/students")
  @APIResponse(
      responseCode = "200",
      description = "One page of the mentor's students with their progress",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = MentorDtos.StudentPageSchema.class)))
  public Uni<RestResponse<byte[]>> students(
      @PathParam("mentorId") @Positive long mentorId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return mentors
        .students(Caller.of(identity), mentorId, cursor, pageSize.resolve(limit))
        .map(caching::personal);
  }

  @GET
  @Path("/students/{studentId}/mentors")
  public Uni<Page<MentorDtos.MentorSummary>> mentors(
      @PathParam("studentId") @Positive long studentId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return mentors.mentors(Caller.of(identity), studentId, cursor, pageSize.resolve(limit));
  }
}
