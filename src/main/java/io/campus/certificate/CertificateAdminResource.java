package io.campus.certificate;

import io.campus.auth.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
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

/** Admin-only: certification rules of courses and revocation of certificates. */
@Path("/api/admin")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class CertificateAdminResource {

  private final CertificateService certificates;
  private final SecurityIdentity identity;

  public CertificateAdminResource(CertificateService certificates, SecurityIdentity identity) {
    this.certificates = certificates;
    this.identity = identity;
  }

  @PUT
  @Path("/courses/{courseId}/certification")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "201",
      description = "Defined",
      content =
          @Content(schema = @Schema(implementation = CertificateDtos.CertificationView.class)))
  @APIResponse(
      responseCode = "200",
      description = "Replaced",
      content =
          @Content(schema = @Schema(implementation = CertificateDtos.CertificationView.class)))
  public Uni<Response> define(
      @PathParam("courseId") @Positive long courseId,
      @Valid @NotNull CertificateDtos.CertificationRules body) {
    return certificates
        .define(courseId, body, Caller.of(identity))
        .map(
            d ->
                Response.status(d.created() ? Response.Status.CREATED : Response.Status.OK)
                    .entity(d.certification())
                    .build());
  }

  @POST
  @Path("/certificates/{id}/revoke")
  public Uni<CertificateDtos.CertificateView> revoke(@PathParam("id") @Positive long id) {
    return certificates.revoke(id, Caller.of(identity));
  }
}
