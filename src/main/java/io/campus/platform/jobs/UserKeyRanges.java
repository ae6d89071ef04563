package io.campus.platform.jobs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Batch boundaries over user_stats.user_id in one index-only pass. */
public final class UserKeyRanges {

  private UserKeyRanges() {}

  public static Uni<List<Long>> of(Pool pool, int batchSize) {
    return pool.preparedQuery(
            """
            select user_id from (
              select user_id, row_number() over (order by user_id) as rn, count(*) over () as total
              from user_stats) x
            where rn % $1 = 0 or rn = total order by user_id
            """)
        .execute(Tuple.of(batchSize))
        .map(
            rows -> {
              List<Long> bounds = new ArrayList<>(rows.size());
              rows.forEach(row -> bounds.add(row.getLong("user_id")));
              return bounds;
            });
  }
}
