package io.campus.achievement;

import static io.campus.progress.ActivitySql.event;

import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Sql;
import io.campus.platform.jobs.BatchJob;
import io.campus.platform.jobs.JobRunner;
import io.campus.platform.jobs.KeyRanges;
import io.campus.progress.ActivitySql;
import io.campus.progress.ActivityType;
import io.campus.progress.AwardSql;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Awards every achievement users qualify for but do not hold yet (e.g. one defined after they met
 * it), with the same rule evaluation the live writes use, and issues the certificates of courses
 * whose rules their enrollments meet (as {@code POST /api/certificates} would) in the same
 * statement. Idempotent: re-running awards and issues nothing new; a revoked certificate is never
 * issued again.
 */
@ApplicationScoped
public class AchievementRecalculation implements BatchJob {

  public static final String NAME = "achievements-recalculation";

  private static final String BATCH =
      Sql.fill(
          Sql.load("achievement/recalculation-batch"),
          Map.of(
              "awards",
              AwardSql.awardCtes("s"),
              "events",
              ActivitySql.insert(
                  event(
                          ActivityType.CERTIFICATE_ISSUED,
                          "i.user_id",
                          "i.id",
                          "issued i join certifications ce on ce.id = i.certification_id")
                      .withDetail("ce.name"))));

  private final Pool pool;
  private final JobRunner runner;
  private final TwoLevelCache cache;

  public AchievementRecalculation(Pool pool, TwoLevelCache cache, JobRunner runner) {
    this.pool = pool;
    this.cache = cache;
    this.runner = runner;
  }

  @Scheduled(
      identity = NAME,
      cron = "${campus.jobs.achievements.cron:0 30 2 * * ?}",
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
    return run(fromExclusive, toInclusive).map(Outcome::processed);
  }

  @Override
  public Uni<Outcome> run(long fromExclusive, long toInclusive) {
    return pool.preparedQuery(BATCH)
        .execute(Tuple.of(fromExclusive, toInclusive))
        .chain(
            rows -> {
              Row row = rows.iterator().next();
              List<String> tags = new ArrayList<>();
              for (Long user : row.getArrayOfLongs("changed_users")) {
                tags.add(CacheTags.user(user));
              }
              for (Long mentor : row.getArrayOfLongs("changed_mentors")) {
                tags.add(CacheTags.mentor(mentor));
              }
              Outcome outcome =
                  new Outcome(
                      row.getLong("processed"),
                      Map.of(
                          "achievements", row.getLong("achievements"),
                          "certificates", row.getLong("certificates")));
              return cache.bumpAll(tags).replaceWith(outcome);
            });
  }
}
