package io.campus.user;

import io.campus.auth.Caller;
import io.campus.common.ProblemException;
import io.campus.common.ProblemMapper;
import io.campus.ops.DbGuard;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
  private final Pool pool;
  private final DbGuard db;

  public AdminRoleRecheck(CurrentIdentityAssociation identities, Pool pool, DbGuard db) {
    this.identities = identities;
    this.pool = pool;
    this.db = db;
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
              return db.read(
                      () ->
                          pool.preparedQuery(
                                  "select 1 from users where id = $1 and role = 'ADMIN'"
                                      + " and disabled_at is null and deleted_at is null")
                              .execute(Tuple.of(user.id())))
                  .map(
                      rows -> {
                        if (rows.size() > 0) {
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
