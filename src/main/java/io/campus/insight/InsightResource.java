package io.campus.insight;

import io.campus.auth.Caller;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/courses")
@Tag(name = "courses")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InsightResource {

  private final InsightService insights;
  private final PageSize pageSize;
  private final SecurityIdentity identity;

  public InsightResource(InsightService insights, PageSize pageSize, SecurityIdentity identity) {
    this.insights = insights;
    this.pageSize = pageSize;
    this.identity = identity;
  }

  @GET
  @Path("/{slug}/students")
  @Operation(
      summary = "A course's students",
      description =
          "Instructor or admin: students enrolled (not cancelled), newest enrollment first, with"
              + " progress, last activity (a completion or a lesson opened) and their assessments"
              + " in this course. Cursor-paginated; one statement per page.")
  @APIResponse(
      responseCode = "200",
      description = "One page of students",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "one student",
                      value =
                          """
                          {"items": [{"enrollmentId": 9001, "userId": 42, "displayName": "Grace",
                            "status": "ACTIVE", "progressPercent": 50, "completedLessons": 2,
                            "enrolledAt": "2026-11-02T10:00:00Z",
                            "lastActivityAt": "2026-11-20T08:30:00Z", "assessmentCount": 2,
                            "averageScore": 87.5}],
                           "next": null}""")))
  public Uni<Page<InsightDtos.CourseStudent>> students(
      @PathParam("slug") @Size(max = 80) String slug,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return insights.students(slug, Caller.of(identity), cursor, pageSize.resolve(limit));
  }

  @GET
  @Path("/{slug}/analytics")
  @Operation(
      summary = "A course's analytics",
      description =
          "Instructor or admin: enrollments by week (last 104 weeks with enrollments), completion"
              + " rate (completed ÷ all enrollments, in percent), the per-lesson funnel (students"
              + " who opened and who completed each lesson) and the distribution of assessment"
              + " scores in buckets of ten. Cached for a minute.")
  @APIResponse(
      responseCode = "200",
      description = "The figures",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = InsightDtos.CourseAnalytics.class),
              examples =
                  @ExampleObject(
                      name = "small course",
                      value =
                          """
                          {"courseId": 51, "asOf": "2026-11-30T12:00:00Z", "enrollments": 4,
                           "active": 2, "completed": 1, "cancelled": 1, "completionRate": 25.0,
                           "weeks": [{"week": "2026-11-23", "enrollments": 4}],
                           "funnel": [
                             {"lessonId": 153, "position": 1, "title": "Select", "reached": 3,
                              "completed": 3},
                             {"lessonId": 154, "position": 2, "title": "Joins", "reached": 2,
                              "completed": 1}],
                           "assessments": 2, "averageScore": 81.5,
                           "scores": [{"from": 70, "to": 79, "count": 1},
                                      {"from": 80, "to": 89, "count": 1}]}""")))
  public Uni<InsightDtos.CourseAnalytics> analytics(
      @PathParam("slug") @Size(max = 80) String slug) {
    return insights.analytics(slug, Caller.of(identity));
  }

  @GET
  @Path("/{slug}/leaderboard")
  @Operation(
      summary = "A course's leaderboard",
      description =
          "Students of the course (not cancelled) ranked by completed lessons, ties sharing a"
              + " rank, and the caller's own rank. For the course's students, its instructor and"
              + " admins. limit: 1-100, default 10.")
  @APIResponse(
      responseCode = "200",
      description = "The top students and my place",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = InsightDtos.CourseLeaderboard.class),
              examples =
                  @ExampleObject(
                      name = "third of the course",
                      value =
                          """
                          {"courseId": 51, "top": [
                             {"userId": 42, "displayName": "Grace", "completedLessons": 8,
                              "progressPercent": 100, "rank": 1},
                             {"userId": 43, "displayName": "Alan", "completedLessons": 5,
                              "progressPercent": 62, "rank": 2}],
                           "me": {"rank": 3, "completedLessons": 2, "progressPercent": 25}}""")))
  public Uni<InsightDtos.CourseLeaderboard> leaderboard(
      @PathParam("slug") @Size(max = 80) String slug, @QueryParam("limit") String limit) {
    return insights.leaderboard(slug, Caller.of(identity), InsightService.boardSize(limit));
  }
}
