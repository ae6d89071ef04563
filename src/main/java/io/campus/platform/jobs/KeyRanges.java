package io.campus.platform.jobs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch boundaries for a {@link BatchJob}: every {@code batchSize}-th key of the rows a job works
 * on, and the last one, ascending, in one pass (index-only where the keys' index allows).
 */
public final class KeyRanges {

  private KeyRanges() {}

  /** Over every user_stats row (one per user), by user_id. */
  public static Uni<List<Long>> ofUsers(Pool pool, int batchSize) {
    return of(pool, "select user_id as key from user_stats", batchSize);
  }

  /**
   * Over the keys {@code keys} selects: a query with one bigint column named {@code key}; its own
   * parameters are {@code $2} onwards ({@code $1} is the batch size).
   */
  public static Uni<List<Long>> of(Pool pool, String keys, int batchSize, Object... params) {
    List<Object> values = new ArrayList<>(params.length + 1);
    values.add(batchSize);
    values.addAll(List.of(params));
    return pool.preparedQuery(
            """
            select key from (
              select key, row_number() over (order by key) as rn, count(*) over () as total
              from (%s) k) x
            where rn %% $1 = 0 or rn = total order by key
            """
                .formatted(keys))
        .execute(Tuple.from(values))
        .map(
            rows -> {
              List<Long> bounds = new ArrayList<>(rows.size() + 1);
              rows.forEach(row -> bounds.add(row.getLong("key")));
              return bounds;
            });
  }
}
