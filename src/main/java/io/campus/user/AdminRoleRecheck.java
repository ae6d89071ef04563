package io.campus.user;

import io.campus.auth.Caller;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.ProblemMapper;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admin endpoints re-read the caller's role and state from the primary database (one statement), so
 * a demotion or a disable takes effect at once even where an instance still caches the old session
 * view. Callers whose cached view is not admin are left to the endpoint's own role check.
 */
public class AdminRoleRecheck {

  private static final Logger LOG = Logger.getLogger(AdminRoleRecheck.class);
  private static final Uni<Response> NONE = Uni.createFrom().nullItem();

  private final CurrentIdentityAssociation identities;
  private final AdminRoleRepository admins;

  public AdminRoleRecheck(CurrentIdentityAssociation identities, AdminRoleRepository admins) {
    this.identities = identities;
    this.admins = admins;
  }

  @ServerRequestFilter
  public Uni<Response> recheck(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/api/admin/") && !path.equals("/api/admin")) {
      return NONE;
    }
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .chain(
            identity -> {
              UserView user = Caller.orNull(identity);
              if (user == null || user.role() != Role.ADMIN) {
                return NONE;
              }
              return admins
                  .isEnabledAdmin(user.id())
                  .map(
                      admin -> {
                        if (admin) {
                          return null;
                        }
                        LOG.warnf(
                            "Refused admin call %s by user %d: no longer an enabled admin",
                            path, user.id());
                        return ProblemMapper.toResponse(
                            ProblemException.forbidden(
                                "This account is no longer allowed to call admin endpoints."));
                      });
            });
  }
}
