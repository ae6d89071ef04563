package io.campus.audit;

import io.campus.auth.Caller;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every successful write by an admin is an admin action and is audited: the actions with a hook of
 * their own (role changes, disables, cancels, invalidations, job triggers) record before and after
 * themselves; every other one (course edits, certificate and achievement administration, mentor
 * assignments, ...) is recorded here as {@code admin.write} with its method, path and status, so no
 * admin endpoint added later can be forgotten.
 */
public class AdminActionAudit {

  public static final String ADMIN_WRITE = "admin.write";

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Uni<Void> NONE = Uni.createFrom().voidItem();

  private final CurrentIdentityAssociation identities;
  private final AuditLog audit;

  public AdminActionAudit(CurrentIdentityAssociation identities, AuditLog audit) {
    this.identities = identities;
    this.audit = audit;
  }

  @ServerResponseFilter
  public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response) {
    int status = response.getStatus();
    String path = request.getUriInfo().getPath();
    if (!WRITES.contains(request.getMethod())
        || status < 200
        || status >= 300
        || !path.startsWith("/api/")
        || audit.recordedInThisRequest()) {
      return NONE;
    }
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .chain(
            identity -> {
              UserView caller = Caller.orNull(identity);
              if (caller == null || caller.role() != Role.ADMIN) {
                return NONE;
              }
              return audit.recordQuietly(
                  AuditEvent.of(
                      caller.id(),
                      ADMIN_WRITE,
                      "http",
                      request.getMethod() + " " + path,
                      null,
                      Map.of("status", status)));
            });
  }
}
