package io.campus.assessment;

import io.campus.auth.Caller;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.Problem;
import io.campus.platform.common.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api")
@Tag(name = "assessments")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AssessmentResource {

  /** Set on a response answered from a stored Idempotency-Key record. */
  static final String REPLAYED_HEADER = "Idempotency-Replayed";

  private static final String IDEMPOTENCY_DOC =
      "Optional, 1-200 printable ASCII characters, scoped to the caller: a retry with the same key"
          + " and body gets the first response again and writes nothing; the same key with another"
          + " body is a 422.";

  private final AssessmentService assessments;
  private final PageSize pageSize;
  private final SecurityIdentity identity;

  public AssessmentResource(
      AssessmentService assessments, PageSize pageSize, SecurityIdentity identity) {
    this.assessments = assessments;
    this.pageSize = pageSize;
    this.identity = identity;
  }

  @POST
  @Path("/assessments/bulk")
  @RolesAllowed({"MENTOR", "ADMIN"})
  @Consumes(MediaType.APPLICATION_JSON)
  @Parameter(
      name = AssessmentIdempotency.KEY_HEADER,
      in = ParameterIn.HEADER,
      description = IDEMPOTENCY_DOC)
  @APIResponse(
      responseCode = "201",
      description = "Recorded; items already recorded earlier are counted as skipped",
      content = @Content(schema = @Schema(implementation = AssessmentDtos.BulkResult.class)))
  public Uni<Response> bulk(@Context HttpHeaders headers, AssessmentDtos.BulkRequest body) {
    return assessments
        .submitBulk(Caller.of(identity), body, key(headers))
        .map(AssessmentResource::http);
  }

  @POST
  @Path("/assessments")
  @RolesAllowed({"MENTOR", "ADMIN"})
  @Consumes(MediaType.APPLICATION_JSON)
  @Parameter(
      name = AssessmentIdempotency.KEY_HEADER,
      in = ParameterIn.HEADER,
      description = IDEMPOTENCY_DOC)
  @APIResponse(
      responseCode = "201",
      description = "Recorded (409 when this assessment was recorded before)",
      content = @Content(schema = @Schema(implementation = AssessmentDtos.AssessmentView.class)))
  public Uni<Response> one(@Context HttpHeaders headers, AssessmentDtos.AssessmentInput body) {
    return assessments
        .submitOne(Caller.of(identity), body, key(headers))
        .map(AssessmentResource::http);
  }

  @GET
  @Path("/students/{studentId}/assessments")
  public Uni<Page<AssessmentDtos.AssessmentView>> ofStudent(
      @PathParam("studentId") @Positive long studentId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return assessments.ofStudent(Caller.of(identity), studentId, cursor, pageSize.resolve(limit));
  }

  @GET
  @Path("/mentors/{mentorId}/assessments")
  public Uni<Page<AssessmentDtos.AssessmentView>> ofMentor(
      @PathParam("mentorId") @Positive long mentorId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return assessments.ofMentor(Caller.of(identity), mentorId, cursor, pageSize.resolve(limit));
  }

  /**
   * The raw Idempotency-Key: an empty or repeated header must be refused, not read as absent, so it
   * is taken from the headers rather than the (documentation-only) header parameter.
   */
  private static String key(HttpHeaders headers) {
    List<String> values = headers.getRequestHeader(AssessmentIdempotency.KEY_HEADER);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ProblemException.invalidField(AssessmentIdempotency.KEY_HEADER, "must be sent once");
    }
    return values.get(0);
  }

  // A replayed body is rendered by the same mapper as the first answer (see AssessmentMapper).
  private static Response http(AssessmentMapper.Outcome outcome) {
    Response.ResponseBuilder builder =
        Response.status(outcome.status())
            .type(outcome.status() >= 400 ? Problem.MEDIA_TYPE : MediaType.APPLICATION_JSON)
            .entity(outcome.body());
    if (outcome.replayed()) {
      builder.header(REPLAYED_HEADER, "true");
    }
    return builder.build();
  }
}
