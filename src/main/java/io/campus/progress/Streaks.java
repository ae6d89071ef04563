package io.campus.progress;

import io.campus.platform.common.Sql;

/**
 * The streak rule, in one place: a streak counts consecutive days (UTC, the database's
 * current_date: every session Campus opens sets its TimeZone to UTC) with learning activity.
 * Activity today keeps it, activity after a day with activity extends it, anything else starts a
 * new one; a streak whose last active day is before yesterday has ended and is reset by {@link
 * StreakReset}.
 */
public final class Streaks {

  private Streaks() {}

  /**
   * The current streak after activity today, for a user_stats row aliased {@code stats} as it was
   * before (its current_streak and last_active_on).
   */
  static String afterActivityToday(String stats) {
    return Sql.fill(
        """
        case when /*{s}*/.last_active_on = current_date then /*{s}*/.current_streak
             when /*{s}*/.last_active_on = current_date - 1 then /*{s}*/.current_streak + 1
             else 1 end""",
        "s",
        stats);
  }

  /** Whether a streak whose last active day is {@code lastActiveOn} (a date, or null) has ended. */
  static String ended(String lastActiveOn) {
    return Sql.fill("(/*{day}*/ is null or /*{day}*/ < current_date - 1)", "day", lastActiveOn);
  }
}
