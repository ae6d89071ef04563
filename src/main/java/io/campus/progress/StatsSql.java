package io.campus.progress;

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
    return """
        insert into user_stats as s (user_id, enrollments) select %1$s, 1 from %2$s
        on conflict (user_id) do update set enrollments = s.enrollments + 1, updated_at = now()
        returning %3$s"""
        .formatted(user, from, AwardSql.STATS_RETURNING);
  }

  /** One enrollment less (never below zero) for {@code user} when {@code from} has a row. */
  public static String unenrolled(String user, String from) {
    return """
        update user_stats s set enrollments = greatest(s.enrollments - 1, 0), updated_at = now()
        where s.user_id = %1$s and exists (select 1 from %2$s)"""
        .formatted(user, from);
  }

  /**
   * A lesson completed by {@code user} when {@code from} has a row: its points, plus the course's
   * points and completion when {@code courseCompleted} (a boolean of that row); the day counts for
   * the streak ({@link Streaks}).
   */
  public static String lessonCompleted(
      String user, String from, String courseCompleted, String lessonPoints, String coursePoints) {
    return """
        insert into user_stats as s (user_id, points, lessons_completed, courses_completed,
                                     current_streak, longest_streak, last_active_on)
        select %1$s, %4$s + case when %3$s then %5$s else 0 end, 1,
               case when %3$s then 1 else 0 end, 1, 1, current_date
        from %2$s
        on conflict (user_id) do update set
          points = s.points + excluded.points,
          lessons_completed = s.lessons_completed + 1,
          courses_completed = s.courses_completed + excluded.courses_completed,
          current_streak = %6$s,
          longest_streak = greatest(s.longest_streak, %6$s),
          last_active_on = current_date,
          updated_at = now()
        returning %7$s"""
        .formatted(
            user,
            from,
            courseCompleted,
            lessonPoints,
            coursePoints,
            Streaks.afterActivityToday("s"),
            AwardSql.STATS_RETURNING);
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
    return """
        update user_stats s set
          points = greatest(s.points - %4$s
                            - case when %3$s then %5$s else 0 end, 0),
          lessons_completed = greatest(s.lessons_completed - 1, 0),
          courses_completed = greatest(s.courses_completed
                                       - case when %3$s then 1 else 0 end, 0),
          updated_at = now()
        from %2$s
        where s.user_id = %1$s
        returning s.points"""
        .formatted(user, from, courseWasCompleted, lessonPoints, coursePoints);
  }

  /**
   * Assessments received: one per row of {@code from}, counted per {@code user} (a column of it).
   * Users are upserted in id order, so concurrent submissions lock their rows in the same order.
   */
  public static String assessed(String user, String from) {
    return """
        insert into user_stats as s (user_id, assessments_received)
        select %1$s, count(*) from %2$s group by %1$s order by %1$s
        on conflict (user_id) do update
          set assessments_received = s.assessments_received + excluded.assessments_received,
              updated_at = now()
        returning %3$s"""
        .formatted(user, from, AwardSql.STATS_RETURNING);
  }

  /**
   * A statement creating the stats of users who have none yet, from {@code rows}: a query with the
   * columns user_id, points, lessons_completed, courses_completed, enrollments, current_streak,
   * longest_streak, last_active_on (generated data, loaded in bulk).
   */
  public static String seed(String rows) {
    return "insert into user_stats (user_id, points, lessons_completed, courses_completed,"
        + " enrollments,\n                        current_streak, longest_streak, last_active_on)\n"
        + rows;
  }
}
