package io.campus.achievement;

/** The user_stats counter an achievement's threshold is compared with. */
public enum RuleType {
  LESSONS_COMPLETED,
  COURSES_COMPLETED,
  STREAK_DAYS,
  POINTS,
  ASSESSMENTS_RECEIVED,
  ENROLLMENTS
}
