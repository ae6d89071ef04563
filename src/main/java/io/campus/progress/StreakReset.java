package io.campus.progress;

import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Sql;
import io.campus.platform.jobs.BatchJob;
import io.campus.platform.jobs.JobRunner;
import io.campus.platform.jobs.KeyRanges;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** At the day boundary (UTC): streaks that have ended ({@link Streaks}) go back to zero. */
@ApplicationScoped
public class StreakReset implements BatchJob {

  /** The job's name, as scheduled (campus.jobs.streak-reset) and run through the admin API. */
  public static final String NAME = "streak-reset";

  // A batch of the user_stats primary key range; with each user, their active mentors, whose
  // student lists show the streak (mentor_assignments_student_active_idx).
  private static final String RESET =
      Sql.fill(
          """
          with r as (
            update user_stats set current_streak = 0, updated_at = now()
            where user_id > $1 and user_id <= $2 and current_streak > 0 and /*{ended}*/
            returning user_id)
          select r.user_id,
                 array(select m.mentor_id from mentor_assignments m
                       where m.student_id = r.user_id and m.active) as mentor_ids
          from r""",
          "ended",
          Streaks.ended("last_active_on"));

  private final Pool pool;
  private final JobRunner runner;
  private final TwoLevelCache cache;

  public StreakReset(Pool pool, TwoLevelCache cache, JobRunner runner) {
    this.pool = pool;
    this.cache = cache;
    this.runner = runner;
  }

  @Scheduled(
      identity = NAME,
      cron = "${campus.jobs.streak-reset.cron:0 5 0 * * ?}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> onSchedule(ScheduledExecution execution) {
    return runner.onSchedule(NAME, execution);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<List<Long>> boundaries(int batchSize) {
    return KeyRanges.ofUsers(pool, batchSize);
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    return pool.preparedQuery(RESET)
        .execute(Tuple.of(fromExclusive, toInclusive))
        .chain(
            rows -> {
              List<String> tags = new ArrayList<>(rows.size());
              rows.forEach(
                  row -> {
                    tags.add(CacheTags.user(row.getLong("user_id")));
                    for (Long mentor : row.getArrayOfLongs("mentor_ids")) {
                      tags.add(CacheTags.mentor(mentor));
                    }
                  });
              return cache.bumpAll(tags).replaceWith((long) rows.rowCount());
            });
  }
}
