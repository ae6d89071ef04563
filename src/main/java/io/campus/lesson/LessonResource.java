package io.campus.lesson;

import io.campus.auth.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/courses")
@Tag(name = "lessons")
@Produces(MediaType.APPLICATION_JSON)
public class LessonResource {

  static final String LESSON_EXAMPLE =
      """
      {"courseId": 51, "courseSlug": "intro-to-sql", "lessonId": 153, "position": 2,
       "title": "Joins", "content": "# Joins\\n\\nA join combines rows of two tables...",
       "durationMinutes": 12, "preview": false, "previous": 1, "next": 3,
       "progress": "IN_PROGRESS"}""";

  private final LessonService lessons;
  private final CurrentIdentityAssociation identities;
  private final SecurityIdentity identity;

  public LessonResource(
      LessonService lessons, CurrentIdentityAssociation identities, SecurityIdentity identity) {
    this.lessons = lessons;
    this.identities = identities;
    this.identity = identity;
  }

  @GET
  @Path("/{slug}/lessons/{position}")
  @Operation(
      summary = "Read a lesson",
      description =
          "The lesson's Markdown content with the previous/next positions. Enrolled users, the"
              + " instructor and admins read every lesson (enrolled users also after the course"
              + " is unpublished or archived); preview lessons of a published course are public."
              + " For an enrolled reader, opening a lesson marks it IN_PROGRESS and makes it the"
              + " one to resume.")
  @APIResponse(
      responseCode = "200",
      description = "The lesson; progress is null when the reader is not enrolled",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = LessonDtos.LessonRead.class),
              examples = @ExampleObject(name = "enrolled reader", value = LESSON_EXAMPLE)))
  public Uni<LessonDtos.LessonRead> read(
      @PathParam("slug") @Size(max = 80) String slug,
      @PathParam("position") @Positive int position) {
    // Public for preview lessons: resolve the identity only here, as the course detail does.
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .chain(reader -> lessons.read(slug, position, Caller.orNull(reader)));
  }

  @PATCH
  @Path("/{slug}/lessons/{position}")
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Edit a lesson",
      description =
          "Instructor or admin, in any course status; absent fields keep their value. Cached"
              + " copies of the lesson are invalidated on every instance. Name the lesson meant"
              + " (lessonId) so that an edit sent after the lessons were reordered changes no"
              + " other: once that lesson is gone or has moved, nothing is changed (412).")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = LessonDtos.EditLesson.class),
              examples =
                  @ExampleObject(
                      name = "new content, readable as a preview",
                      value = "{\"content\": \"# Joins\\n\\nUpdated text.\", \"preview\": true}")))
  @APIResponse(
      responseCode = "200",
      description = "The lesson as readers now see it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = LessonDtos.LessonRead.class),
              examples = @ExampleObject(name = "edited", value = LESSON_EXAMPLE)))
  @APIResponse(
      responseCode = "412",
      description = "The lesson named by lessonId is not at this position")
  public Uni<LessonDtos.LessonRead> edit(
      @PathParam("slug") @Size(max = 80) String slug,
      @PathParam("position") @Positive int position,
      @QueryParam("lessonId") @Positive Long lessonId,
      @Valid @NotNull LessonDtos.EditLesson body) {
    return lessons.edit(slug, position, lessonId, body, Caller.of(identity));
  }

  @DELETE
  @Path("/{slug}/lessons/{position}")
  @Authenticated
  @Operation(
      summary = "Delete a lesson of a draft",
      description =
          "Instructor or admin, only while the course is a draft nobody has enrolled in (422"
              + " otherwise); later lessons move up one position. Name the lesson meant"
              + " (lessonId) to make the request safe to repeat: once that lesson is gone or has"
              + " moved, nothing is deleted (412).")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(
      responseCode = "412",
      description = "The lesson named by lessonId is not at this position")
  public Uni<Response> delete(
      @PathParam("slug") @Size(max = 80) String slug,
      @PathParam("position") @Positive int position,
      @QueryParam("lessonId") @Positive Long lessonId) {
    return lessons
        .delete(slug, position, lessonId, Caller.of(identity))
        .map(ignored -> Response.noContent().build());
  }

  @PUT
  @Path("/{slug}/lessons/order")
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Reorder the lessons of a draft",
      description =
          "Instructor or admin, only while the course is a draft (422 otherwise). The body lists"
              + " every lesson id of the course exactly once, in the new order (400 otherwise).")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = LessonDtos.Reorder.class),
              examples =
                  @ExampleObject(
                      name = "third lesson first",
                      value = "{\"lessonIds\": [155, 153, 154]}")))
  @APIResponse(responseCode = "204", description = "Reordered")
  public Uni<Response> reorder(
      @PathParam("slug") @Size(max = 80) String slug, @Valid @NotNull LessonDtos.Reorder body) {
    return lessons
        .reorder(slug, body.lessonIds(), Caller.of(identity))
        .map(ignored -> Response.noContent().build());
  }
}
