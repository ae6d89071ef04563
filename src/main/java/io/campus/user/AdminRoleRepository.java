package io.campus.user;

import io.campus.platform.ops.DbRead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The admin check of {@link AdminRoleRecheck}: always the primary, never a cache. */
@ApplicationScoped
public class AdminRoleRepository {

  private final Pool pool;

  public AdminRoleRepository(Pool pool) {
    this.pool = pool;
  }

  /** Whether the user is an admin now, enabled and not deleted. One statement. */
  @DbRead
  public Uni<Boolean> isEnabledAdmin(long userId) {
    return pool.preparedQuery(
            """
            select 1 from users where id = $1 and role = 'ADMIN'
              and disabled_at is null and deleted_at is null
            """)
        .execute(Tuple.of(userId))
        .map(rows -> rows.size() > 0);
  }
}
