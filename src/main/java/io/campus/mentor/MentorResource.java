package io.campus.mentor;

import io.campus.auth.Caller;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api")
@Tag(name = "mentors")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MentorResource {

  private final MentorService mentors;
  private final PageSize pageSize;
  private final SecurityIdentity identity;

  public MentorResource(MentorService mentors, PageSize pageSize, SecurityIdentity identity) {
    this.mentors = mentors;
    this.pageSize = pageSize;
    this.identity = identity;
  }

  @GET
  @Path("/mentors/{mentorId}/students")
  public Uni<Page<MentorDtos.StudentSummary>> students(
      @PathParam("mentorId") @Positive long mentorId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return mentors.students(Caller.of(identity), mentorId, cursor, pageSize.resolve(limit));
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
