package io.campus.dashboard;

import io.campus.achievement.AchievementDtos;
import io.campus.activity.ActivityDtos;
import io.campus.certificate.CertificateDtos;
import io.campus.enrollment.EnrollmentDtos;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.LocalDate;
import java.util.List;

/** Response body of the dashboard. */
public final class DashboardDtos {

  private DashboardDtos() {}

  /** The user's counters; all zero before their first enrollment. */
  @RegisterForReflection
  public record Stats(
      int points,
      int lessonsCompleted,
      int coursesCompleted,
      int enrollments,
      int assessmentsReceived,
      int currentStreak,
      int longestStreak,
      LocalDate lastActiveOn) {

    static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0, null);
  }

  /**
   * Everything the home page shows, newest first: up to 10 enrollments, 5 achievements, 10 activity
   * events and 10 (non-revoked) certificates.
   */
  @RegisterForReflection
  public record Dashboard(
      List<EnrollmentDtos.EnrollmentView> enrollments,
      Stats stats,
      List<AchievementDtos.AwardedAchievement> achievements,
      List<ActivityDtos.ActivityView> activity,
      List<CertificateDtos.CertificateView> certificates) {}
}
