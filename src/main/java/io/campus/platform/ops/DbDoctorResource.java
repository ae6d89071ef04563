package io.campus.platform.ops;

import io.campus.audit.AuditEvent;
import io.campus.audit.AuditLog;
import io.campus.auth.Caller;
import io.campus.platform.common.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** The database doctor: {@code GET /api/admin/db?section=...}, and cancelling a runaway query. */
@Path("/api/admin/db")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class DbDoctorResource {

  private static final Logger LOG = Logger.getLogger(DbDoctorResource.class);

  private final DbDoctor doctor;
  private final AuditLog audit;
  private final SecurityIdentity identity;

  public DbDoctorResource(DbDoctor doctor, AuditLog audit, SecurityIdentity identity) {
    this.doctor = doctor;
    this.audit = audit;
    this.identity = identity;
  }

  @GET
  public Uni<Map<String, Object>> report(@QueryParam("section") String section) {
    if (section == null || section.isBlank()) {
      return doctor.report(DbDoctor.SECTIONS);
    }
    if (!DbDoctor.SECTIONS.contains(section)) {
      throw ProblemException.invalidField(
          "section", "must be one of " + String.join(", ", DbDoctor.SECTIONS));
    }
    return doctor.report(List.of(section));
  }

  @POST
  @Path("/queries/{pid}/cancel")
  public Uni<Map<String, Object>> cancel(@PathParam("pid") String pid) {
    int backend;
    try {
      backend = Integer.parseInt(pid);
    } catch (NumberFormatException e) {
      throw ProblemException.invalidField("pid", "must be a process id");
    }
    long actor = Caller.of(identity).id();
    return doctor
        .cancel(backend)
        .map(
            cancelled -> {
              if (!cancelled) {
                throw ProblemException.notFound("No running query with this pid in this database.");
              }
              LOG.warnf("Query of backend %d cancelled by an admin", backend);
              return Map.<String, Object>of("pid", backend, "cancelled", true);
            })
        .call(
            done ->
                audit.record(
                    AuditEvent.of(
                        actor, AuditEvent.QUERY_CANCELLED, "backend", backend, null, done)));
  }
}
