package io.campus.audit;

import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin: the audit log, newest first, optionally filtered by action or actor. */
@Path("/api/admin/audit")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

  private static final Pattern ACTION = Pattern.compile("^[a-z][a-z0-9.-]{0,59}$");

  private final AuditLog audit;
  private final PageSize pageSize;

  public AuditResource(AuditLog audit, PageSize pageSize) {
    this.audit = audit;
    this.pageSize = pageSize;
  }

  @GET
  public Uni<Page<AuditEntry>> list(
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit,
      @QueryParam("action") String action,
      @QueryParam("actor") String actor) {
    String actionFilter = action == null || action.isEmpty() ? null : action;
    if (actionFilter != null && !ACTION.matcher(actionFilter).matches()) {
      throw ProblemException.invalidField(
          "action", "must be an action name such as " + AuditEvent.ROLE_CHANGED);
    }
    Long actorFilter = null;
    if (actor != null && !actor.isEmpty()) {
      try {
        actorFilter = Long.parseLong(actor);
      } catch (NumberFormatException e) {
        actorFilter = -1L;
      }
      if (actorFilter < 1) {
        throw ProblemException.invalidField("actor", "must be a user id");
      }
    }
    return audit.list(actionFilter, actorFilter, cursor, pageSize.resolve(limit));
  }
}
