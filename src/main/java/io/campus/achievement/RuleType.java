package io.campus.achievement;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The user_stats counter an achievement's threshold is compared with. */
@RegisterForReflection
public enum RuleType {
  LESSONS_COMPLETED,
  COURSES_COMPLETED,
  STREAK_DAYS,
  POINTS,
  ASSESSMENTS_RECEIVED,
  ENROLLMENTS
}
