package io.campus.mentor;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin-only management of which mentor looks after which student. */
@Path("/api/admin/mentor-assignments")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class MentorAssignmentResource {

  private final MentorService mentors;

  public MentorAssignmentResource(MentorService mentors) {
    this.mentors = mentors;
  }

  /** 201 for a new assignment, 200 when it is re-activated or already active. */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "201",
      description = "Assigned",
      content = @Content(schema = @Schema(implementation = MentorDtos.Assignment.class)))
  @APIResponse(
      responseCode = "200",
      description = "Already assigned, or assigned again",
      content = @Content(schema = @Schema(implementation = MentorDtos.Assignment.class)))
  public Uni<Response> assign(@Valid @NotNull MentorDtos.Assign body) {
    return mentors
        .assign(body.mentorId(), body.studentId())
        .map(
            a ->
                Response.status(a.created() ? Response.Status.CREATED : Response.Status.OK)
                    .entity(a.assignment())
                    .build());
  }

  @DELETE
  @Path("/{mentorId}/{studentId}")
  public Uni<Void> unassign(
      @PathParam("mentorId") @Positive long mentorId,
      @PathParam("studentId") @Positive long studentId) {
    return mentors.unassign(mentorId, studentId);
  }
}
