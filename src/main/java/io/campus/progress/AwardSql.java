package io.campus.progress;

import io.campus.platform.common.Sql;
import java.util.Map;

/**
 * SQL shared by every write that changes a user's stats. Awarding is folded into the writing
 * statement itself: all rules are evaluated in one join against the stats as they are after the
 * change, and new awards are inserted by one statement, so the cost does not grow with the number
 * of achievements defined.
 */
public final class AwardSql {

  private AwardSql() {}

  /**
   * Two CTEs, {@code awarded} (the new user_achievements rows) and {@code award_events} (their
   * activity events), for a preceding CTE named {@code statsCte} that returns, per affected user,
   * the user_stats columns after the change: user_id, points, lessons_completed, courses_completed,
   * current_streak, enrollments, assessments_received.
   */
  public static String awardCtes(String statsCte) {
    return Sql.fill(
        """
        awarded as (
          insert into user_achievements (user_id, achievement_id)
          select s.user_id, a.id
          from /*{stats}*/ s
          join achievements a on a.threshold <= /*{rule_value}*/
          on conflict (user_id, achievement_id) do nothing
          returning user_id, achievement_id),
        award_events as (
          /*{events}*/)
        """,
        Map.of(
            "stats",
            statsCte,
            "rule_value",
            ruleValue("a", "s"),
            "events",
            ActivitySql.insert(
                ActivitySql.event(
                    ActivityType.ACHIEVEMENT_AWARDED, "user_id", "achievement_id", "awarded"))));
  }

  /**
   * The stats value an achievement's threshold is compared with: a CASE over {@code
   * achievement}.rule_type reading the matching column of {@code stats} (a user_stats row, or a row
   * with its columns). Shared by awarding and the achievement catalogue's progress, so both read
   * the same counter.
   */
  public static String ruleValue(String achievement, String stats) {
    return Sql.fill(
        """
        case /*{a}*/.rule_type
          when 'LESSONS_COMPLETED' then /*{s}*/.lessons_completed
          when 'COURSES_COMPLETED' then /*{s}*/.courses_completed
          when 'STREAK_DAYS' then /*{s}*/.current_streak
          when 'POINTS' then /*{s}*/.points
          when 'ASSESSMENTS_RECEIVED' then /*{s}*/.assessments_received
          when 'ENROLLMENTS' then /*{s}*/.enrollments
        end""",
        Map.of("a", achievement, "s", stats));
  }

  /** The codes of the achievements a statement with {@link #awardCtes} awarded, as a text[]. */
  public static final String AWARDED_CODES =
      """
      (select coalesce(array_agg(a.code order by a.code), '{}') from awarded w \
      join achievements a on a.id = w.achievement_id)""";

  /**
   * The points of the achievements a statement with {@link #awardCtes} awarded, as an int. They are
   * added to user_stats.points by a trigger at the end of that statement (see V4), after any
   * RETURNING of the stats CTE, so a response adds them to the returned points itself.
   */
  public static final String AWARDED_POINTS =
      """
      (select coalesce(sum(a.points), 0)::int from awarded w \
      join achievements a on a.id = w.achievement_id)""";

  /** The stats columns {@link #awardCtes} needs, for a RETURNING clause on user_stats. */
  public static final String STATS_RETURNING =
      """
      user_id, points, lessons_completed, courses_completed, current_streak, enrollments, \
      assessments_received""";
}
