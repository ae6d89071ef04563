package io.campus.enrollment;

import io.campus.auth.Caller;
import io.campus.common.Page;
import io.campus.common.PageSize;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api")
@Tag(name = "enrollments")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class EnrollmentResource {

  private final EnrollmentService enrollments;
  private final PageSize pageSize;
  private final SecurityIdentity identity;

  public EnrollmentResource(
      EnrollmentService enrollments, PageSize pageSize, SecurityIdentity identity) {
    this.enrollments = enrollments;
    this.pageSize = pageSize;
    this.identity = identity;
  }

  @POST
  @Path("/enrollments")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> enroll(@Valid @NotNull EnrollmentDtos.Enroll request) {
    return enrollments
        .enroll(Caller.of(identity), request.courseId())
        .map(e -> Response.status(Response.Status.CREATED).entity(e).build());
  }

  @GET
  @Path("/enrollments")
  public Uni<Page<EnrollmentDtos.EnrollmentView>> mine(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    var caller = Caller.of(identity);
    return enrollments.list(caller, caller.id(), cursor, pageSize.resolve(limit));
  }

  @GET
  @Path("/users/{userId}/enrollments")
  public Uni<Page<EnrollmentDtos.EnrollmentView>> ofUser(
      @PathParam("userId") @Positive long userId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return enrollments.list(Caller.of(identity), userId, cursor, pageSize.resolve(limit));
  }

  @POST
  @Path("/lessons/{lessonId}/complete")
  public Uni<EnrollmentDtos.LessonCompletion> complete(
      @PathParam("lessonId") @Positive long lessonId) {
    return enrollments.completeLesson(Caller.of(identity), lessonId);
  }
}
