package io.campus.progress;

import io.campus.platform.common.Sql;
import java.util.Map;

/**
 * The changes to user_stats that learning makes, each the body of a data-modifying CTE in the
 * statement that made the change, so the counters move in the same transaction and round trip.
 * Fragments that can earn achievements return {@link AwardSql#STATS_RETURNING} for {@link
 * AwardSql#awardCtes}. Arguments are SQL expressions of the host statement (parameters, CTE
 * columns); {@code from} is what follows FROM: the rows the change is for.
 */
public final class StatsSql {

  private StatsSql() {}

  /** One more enrollment for {@code user} when {@code from} has a row (the new enrollment). */
  public static String enrolled(String user, String from) {
    return Sql.fill(
        """
        insert into user_stats as s (user_id, enrollments) select /*{user}*/, 1 from /*{from}*/
        on conflict (user_id) do update set enrollments = s.enrollments + 1, updated_at = now()
        returning /*{returning}*/""",
        Map.of("user", user, "from", from, "returning", AwardSql.STATS_RETURNING));
  }

  /** One enrollment less (never below zero) for {@code user} when {@code from} has a row. */
  public static String unenrolled(String user, String from) {
    return Sql.fill(
        """
        update user_stats s set enrollments = greatest(s.enrollments - 1, 0), updated_at = now()
        where s.user_id = /*{user}*/ and exists (select 1 from /*{from}*/)""",
        Map.of("user", user, "from", from));
  }

  /**
   * A lesson completed by {@code user} when {@code from} has a row: its points, plus the course's
   * points and completion when {@code courseCompleted} (a boolean of that row); the day counts for
   * the streak ({@link Streaks}).
   */
  public static String lessonCompleted(
      String user, String from, String courseCompleted, String lessonPoints, String coursePoints) {
    return Sql.fill(
        """
        insert into user_stats as s (user_id, points, lessons_completed, courses_completed,
                                     current_streak, longest_streak, last_active_on)
        select /*{user}*/, /*{lesson_points}*/ + case when /*{course_completed}*/ \
        then /*{course_points}*/ else 0 end, 1,
               case when /*{course_completed}*/ then 1 else 0 end, 1, 1, current_date
        from /*{from}*/
        on conflict (user_id) do update set
          points = s.points + excluded.points,
          lessons_completed = s.lessons_completed + 1,
          courses_completed = s.courses_completed + excluded.courses_completed,
          current_streak = /*{streak}*/,
          longest_streak = greatest(s.longest_streak, /*{streak}*/),
          last_active_on = current_date,
          updated_at = now()
        returning /*{returning}*/""",
        Map.of(
            "user", user,
            "from", from,
            "course_completed", courseCompleted,
            "lesson_points", lessonPoints,
            "course_points", coursePoints,
            "streak", Streaks.afterActivityToday("s"),
            "returning", AwardSql.STATS_RETURNING));
  }

  /**
   * Takes back what {@link #lessonCompleted} gave, per row of {@code from} (never below zero): the
   * lesson's points, and the course's points and completion when {@code courseWasCompleted}.
   * Streaks and awards stay. Returns the points after the change.
   */
  public static String completionUndone(
      String user,
      String from,
      String courseWasCompleted,
      String lessonPoints,
      String coursePoints) {
    return Sql.fill(
        """
        update user_stats s set
          points = greatest(s.points - /*{lesson_points}*/
                            - case when /*{course_was_completed}*/ then /*{course_points}*/ \
        else 0 end, 0),
          lessons_completed = greatest(s.lessons_completed - 1, 0),
          courses_completed = greatest(s.courses_completed
                                       - case when /*{course_was_completed}*/ then 1 else 0 end, 0),
          updated_at = now()
        from /*{from}*/
        where s.user_id = /*{user}*/
        returning s.points""",
        Map.of(
            "user", user,
            "from", from,
            "course_was_completed", courseWasCompleted,
            "lesson_points", lessonPoints,
            "course_points", coursePoints));
  }

  /**
   * Assessments received: one per row of {@code from}, counted per {@code user} (a column of it).
   * Users are upserted in id order, so concurrent submissions lock their rows in the same order.
   */
  public static String assessed(String user, String from) {
    return Sql.fill(
        """
        insert into user_stats as s (user_id, assessments_received)
        select /*{user}*/, count(*) from /*{from}*/ group by /*{user}*/ order by /*{user}*/
        on conflict (user_id) do update
          set assessments_received = s.assessments_received + excluded.assessments_received,
              updated_at = now()
        returning /*{returning}*/""",
        Map.of("user", user, "from", from, "returning", AwardSql.STATS_RETURNING));
  }

  /**
   * A statement creating the stats of users who have none yet, from {@code rows}: a query with the
   * columns user_id, points, lessons_completed, courses_completed, enrollments, current_streak,
   * longest_streak, last_active_on (generated data, loaded in bulk).
   */
  public static String seed(String rows) {
    return Sql.fill(
        """
        insert into user_stats (user_id, points, lessons_completed, courses_completed, enrollments,
                                current_streak, longest_streak, last_active_on)
        /*{rows}*/""",
        "rows",
        rows);
  }
}
