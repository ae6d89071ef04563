package io.campus.jobs;

import io.campus.achievement.AchievementSql;
import io.campus.cache.CacheTags;
import io.campus.cache.TwoLevelCache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Awards every achievement users qualify for but do not hold yet (e.g. one defined after they met
 * it), with the same rule evaluation the live writes use. Idempotent: re-running awards nothing
 * new.
 */
@ApplicationScoped
public class AchievementRecalculation implements BatchJob {

  static final String NAME = "achievements-recalculation";

  private static final String BATCH =
      """
      with s as (
        select user_id, points, lessons_completed, courses_completed, current_streak, enrollments,
               assessments_received
        from user_stats where user_id > $1 and user_id <= $2),
      %s
      select (select count(*) from s) as processed,
             (select coalesce(array_agg(distinct user_id), '{}') from awarded) as awarded_users
      """
          .formatted(AchievementSql.awardCtes("s"));

  private final Pool pool;
  private final TwoLevelCache cache;

  public AchievementRecalculation(Pool pool, TwoLevelCache cache) {
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
    return pool.preparedQuery(BATCH)
        .execute(Tuple.of(fromExclusive, toInclusive))
        .chain(
            rows -> {
              Row row = rows.iterator().next();
              List<String> tags = new ArrayList<>();
              for (Long user : row.getArrayOfLongs("awarded_users")) {
                tags.add(CacheTags.user(user));
              }
              return cache.bumpAll(tags).replaceWith(row.getLong("processed"));
            });
  }
}
