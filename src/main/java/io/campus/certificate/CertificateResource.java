package io.campus.certificate;

import io.campus.auth.Caller;
import io.campus.platform.common.HttpCaching;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/certificates")
@Tag(name = "certificates")
@Produces(MediaType.APPLICATION_JSON)
public class CertificateResource {

  private final CertificateService certificates;
  private final PageSize pageSize;
  private final SecurityIdentity identity;
  private final HttpCaching caching;

  public CertificateResource(
      CertificateService certificates,
      PageSize pageSize,
      SecurityIdentity identity,
      HttpCaching caching) {
    this.certificates = certificates;
    this.pageSize = pageSize;
    this.identity = identity;
    this.caching = caching;
  }

  @GET
  @Authenticated
  public Uni<Page<CertificateDtos.CertificateView>> mine(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return certificates.mine(Caller.of(identity), cursor, pageSize.resolve(limit));
  }

  @GET
  @Path("/eligibility")
  @Authenticated
  public Uni<CertificateDtos.Eligibility> eligibility(@QueryParam("courseId") String courseId) {
    return certificates.eligibility(Caller.of(identity), parseCourseId(courseId));
  }

  @POST
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "201",
      description = "Issued",
      content = @Content(schema = @Schema(implementation = CertificateDtos.CertificateView.class)))
  @APIResponse(
      responseCode = "200",
      description = "Issued before: the same certificate",
      content = @Content(schema = @Schema(implementation = CertificateDtos.CertificateView.class)))
  public Uni<Response> issue(@Valid @NotNull CertificateDtos.Issue body) {
    return certificates
        .issue(Caller.of(identity), body.courseId())
        .map(
            issued ->
                Response.status(issued.created() ? Response.Status.CREATED : Response.Status.OK)
                    .entity(issued.certificate())
                    .build());
  }

  /**
   * Public: anyone holding a code may check it. It never reads the identity, so even a request
   * carrying a token costs no session lookup.
   */
  @GET
  @Path("/verify/{code}")
  @PermitAll
  @APIResponse(
      responseCode = "200",
      description = "Whether the code belongs to a valid certificate",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CertificateDtos.Verification.class)))
  public Uni<RestResponse<byte[]>> verify(
      @Context Request request, @PathParam("code") String code) {
    String canonical = VerificationCodes.normalize(code);
    if (canonical == null) {
      throw ProblemException.invalidField(
          "code", "must be " + VerificationCodes.LENGTH + " characters of Crockford base32");
    }
    // At most a minute in any cache, then revalidated: the ETag changes when it is revoked.
    return certificates.verify(canonical).map(v -> caching.revalidated(request, v, VERIFY_MAX_AGE));
  }

  /** Longest a verification answer may be reused before asking again (revocation shows then). */
  static final int VERIFY_MAX_AGE = 60;

  private static long parseCourseId(String courseId) {
    long id;
    try {
      id = courseId == null ? -1 : Long.parseLong(courseId.trim());
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id <= 0) {
      throw ProblemException.invalidField("courseId", "must be a positive course id");
    }
    return id;
  }
}
