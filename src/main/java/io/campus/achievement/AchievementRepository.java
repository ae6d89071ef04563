package io.campus.achievement;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.progress.AwardSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The achievement catalogue and a user's progress: each call is one statement keyed by id. */
@ApplicationScoped
public class AchievementRepository {

  // By achievements primary key.
  private static final String CATALOGUE =
      """
      select a.id, a.code, a.name, a.description, a.rule_type, a.threshold, a.points
      from achievements a where a.id > $1 order by a.id limit $2
      """;

  private static final String CREATE = Sql.load("achievement/create");

  private static final String MINE =
      Sql.fill(Sql.load("achievement/mine"), "rule_value", AwardSql.ruleValue("a", "s"));

  private final Pool pool;

  public AchievementRepository(Pool pool) {
    this.pool = pool;
  }

  @DbRead
  public Uni<Page<AchievementDtos.AchievementView>> catalogue(String cursor, int limit) {
    String ordering = "achievements";
    long after = afterId(cursor, ordering);
    return pool.preparedQuery(CATALOGUE)
        .execute(Tuple.of(after, limit + 1))
        .map(
            rows -> {
              List<AchievementDtos.AchievementView> list = new ArrayList<>(rows.size());
              rows.forEach(row -> list.add(view(row)));
              return PageSize.of(list, limit, last -> Cursor.encode(ordering, last.id()));
            });
  }

  /** Defines an achievement; 409 when its code is taken or the catalogue is full. */
  @DbWrite
  public Uni<AchievementDtos.AchievementView> create(AchievementDtos.CreateAchievement request) {
    return pool.preparedQuery(CREATE)
        .execute(
            Tuple.from(
                List.of(
                    request.code(),
                    request.name().trim(),
                    request.description() == null ? "" : request.description().trim(),
                    request.ruleType().name(),
                    request.threshold(),
                    request.points() == null ? 0 : request.points(),
                    (long) AchievementDtos.MAX_ACHIEVEMENTS)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              if (row.getLong("id") != null) {
                return view(row);
              }
              if (row.getBoolean("catalogue_full")) {
                throw ProblemException.conflict(
                    "The catalogue holds "
                        + AchievementDtos.MAX_ACHIEVEMENTS
                        + " achievements, the most it may.");
              }
              throw ProblemException.conflict("An achievement with this code exists.");
            });
  }

  @DbRead
  public Uni<Page<AchievementDtos.AchievementProgress>> mine(
      long userId, String cursor, int limit) {
    String ordering = "achievements-of:" + userId;
    long after = afterId(cursor, ordering);
    return pool.preparedQuery(MINE)
        .execute(Tuple.of(userId, after, limit + 1))
        .map(
            rows -> {
              List<AchievementDtos.AchievementProgress> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                int threshold = row.getInteger("threshold");
                int current = row.getInteger("current");
                var awardedAt = row.getOffsetDateTime("awarded_at");
                // A streak can drop below the threshold after the award; the award still counts.
                int percent =
                    awardedAt != null
                        ? 100
                        : (int) Math.min(100L, Math.max(0L, (long) current * 100 / threshold));
                list.add(
                    new AchievementDtos.AchievementProgress(
                        row.getLong("id"),
                        row.getString("code"),
                        row.getString("name"),
                        row.getString("description"),
                        RuleType.valueOf(row.getString("rule_type")),
                        threshold,
                        row.getInteger("points"),
                        current,
                        percent,
                        awardedAt));
              }
              return PageSize.of(list, limit, last -> Cursor.encode(ordering, last.id()));
            });
  }

  private static long afterId(String cursor, String ordering) {
    List<String> keys = Cursor.decode(cursor, ordering, 1);
    return keys == null ? 0L : Cursor.longKey(keys.get(0));
  }

  private static AchievementDtos.AchievementView view(Row row) {
    return new AchievementDtos.AchievementView(
        row.getLong("id"),
        row.getString("code"),
        row.getString("name"),
        row.getString("description"),
        RuleType.valueOf(row.getString("rule_type")),
        row.getInteger("threshold"),
        row.getInteger("points"));
  }
}
