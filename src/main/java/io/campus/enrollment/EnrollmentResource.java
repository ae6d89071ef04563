package io.campus.enrollment;

import io.campus.auth.Caller;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
  @APIResponse(
      responseCode = "201",
      description = "Enrolled",
      content = @Content(schema = @Schema(implementation = EnrollmentDtos.EnrollmentView.class)))
  public Uni<Response> enroll(@Valid @NotNull EnrollmentDtos.Enroll body) {
    return enrollments
        .enroll(Caller.of(identity), body.courseId())
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

  @DELETE
  @Path("/enrollments/{courseId}")
  @Operation(
      summary = "Leave a course",
      description =
          "The enrollment becomes CANCELLED; progress, points and achievements are kept and"
              + " enrolling again resumes where the user left. Idempotent: leaving again is a 204."
              + " A completed course cannot be left (422); 404 when never enrolled.")
  @APIResponse(responseCode = "204", description = "Left (or already left)")
  public Uni<Response> unenroll(@PathParam("courseId") @Positive long courseId) {
    return enrollments
        .unenroll(Caller.of(identity), courseId)
        .map(ignored -> Response.noContent().build());
  }

  @GET
  @Path("/enrollments/{courseId}/resume")
  @Operation(
      summary = "The lesson to continue with",
      description =
          "The lesson the user opened last unless it has been completed since, else the first"
              + " lesson not completed; when every lesson is completed, reason is ALL_COMPLETED"
              + " and the lesson fields are null. 404 when not enrolled.")
  @APIResponse(
      responseCode = "200",
      description = "Where to resume",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = EnrollmentDtos.Resume.class),
              examples =
                  @ExampleObject(
                      name = "last opened",
                      value =
                          """
                          {"courseId": 51, "courseSlug": "intro-to-sql",
                           "enrollmentStatus": "ACTIVE", "reason": "LAST_OPENED",
                           "lessonId": 154, "position": 3, "title": "Indexes"}""")))
  public Uni<EnrollmentDtos.Resume> resume(@PathParam("courseId") @Positive long courseId) {
    return enrollments.resume(Caller.of(identity), courseId);
  }

  @DELETE
  @Path("/lessons/{lessonId}/complete")
  @Operation(
      summary = "Undo a lesson completion",
      description =
          "Takes back what completing gave: the lesson's points, and when it had completed the"
              + " course, the course's completion and points. Achievements already awarded stay"
              + " awarded, with their points. The lesson goes back to IN_PROGRESS. Undoing a"
              + " lesson that is not completed changes nothing (undone is false).")
  @APIResponse(
      responseCode = "200",
      description = "The enrollment and points after the undo",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = EnrollmentDtos.CompletionUndone.class),
              examples =
                  @ExampleObject(
                      name = "undone",
                      value =
                          """
                          {"lessonId": 154, "courseId": 51, "undone": true, "progressPercent": 50,
                           "completedLessons": 2, "enrollmentStatus": "ACTIVE", "points": 20}""")))
  public Uni<EnrollmentDtos.CompletionUndone> undoCompletion(
      @PathParam("lessonId") @Positive long lessonId) {
    return enrollments.undoCompletion(Caller.of(identity), lessonId);
  }
}
