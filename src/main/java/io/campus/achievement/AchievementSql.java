package io.campus.achievement;

/**
 * SQL shared by every write that changes a user's stats. Awarding is folded into the writing
 * statement itself: all rules are evaluated in one join against the stats as they are after the
 * change, and new awards are inserted by one statement, so the cost does not grow with the number
 * of achievements defined.
 */
public final class AchievementSql {

  private AchievementSql() {}

  /**
   * Two CTEs, {@code awarded} (the new user_achievements rows) and {@code award_events} (their
   * activity events), for a preceding CTE named {@code statsCte} that returns, per affected user,
   * the user_stats columns after the change: user_id, points, lessons_completed, courses_completed,
   * current_streak, enrollments, assessments_received.
   */
  public static String awardCtes(String statsCte) {
    return """
        awarded as (
          insert into user_achievements (user_id, achievement_id)
          select s.user_id, a.id
          from %1$s s
          join achievements a on a.threshold <= case a.rule_type
              when 'LESSONS_COMPLETED' then s.lessons_completed
              when 'COURSES_COMPLETED' then s.courses_completed
              when 'STREAK_DAYS' then s.current_streak
              when 'POINTS' then s.points
              when 'ASSESSMENTS_RECEIVED' then s.assessments_received
              when 'ENROLLMENTS' then s.enrollments
            end
          on conflict (user_id, achievement_id) do nothing
          returning user_id, achievement_id),
        award_events as (
          insert into activity_events (user_id, type, subject_type, subject_id)
          select user_id, 'ACHIEVEMENT_AWARDED', 'ACHIEVEMENT', achievement_id from awarded)
        """
        .formatted(statsCte);
  }

  /** The codes of the achievements a statement with {@link #awardCtes} awarded, as a text[]. */
  public static final String AWARDED_CODES =
      "(select coalesce(array_agg(a.code order by a.code), '{}') from awarded w"
          + " join achievements a on a.id = w.achievement_id)";

  /** The stats columns {@link #awardCtes} needs, for a RETURNING clause on user_stats. */
  public static final String STATS_RETURNING =
      "user_id, points, lessons_completed, courses_completed, current_streak, enrollments,"
          + " assessments_received";
}
