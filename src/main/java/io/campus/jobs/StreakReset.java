package io.campus.jobs;

import io.campus.cache.CacheTags;
import io.campus.cache.TwoLevelCache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** At the day boundary (UTC): streaks of users not active yesterday or today end. */
@ApplicationScoped
public class StreakReset implements BatchJob {

  static final String NAME = "streak-reset";

  private final Pool pool;
  private final TwoLevelCache cache;

  public StreakReset(Pool pool, TwoLevelCache cache) {
    this.pool = pool;
    this.cache = cache;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<List<Long>> boundaries(int batchSize) {
    return UserKeyRanges.of(pool, batchSize);
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    return pool.preparedQuery(
            "update user_stats set current_streak = 0, updated_at = now()"
                + " where user_id > $1 and user_id <= $2 and current_streak > 0"
                + " and (last_active_on is null or last_active_on < current_date - 1)"
                + " returning user_id")
        .execute(Tuple.of(fromExclusive, toInclusive))
        .chain(
            rows -> {
              List<String> tags = new ArrayList<>(rows.size());
              rows.forEach(row -> tags.add(CacheTags.user(row.getLong("user_id"))));
              return cache.bumpAll(tags).replaceWith((long) rows.rowCount());
            });
  }
}
