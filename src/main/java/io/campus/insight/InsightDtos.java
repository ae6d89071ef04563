package io.campus.insight;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** What instructors and students see of one course's students. */
public final class InsightDtos {

  private InsightDtos() {}

  /** A student of the course (enrollment not cancelled) with their progress and scores. */
  @RegisterForReflection
  public record CourseStudent(
      long enrollmentId,
      long userId,
      String displayName,
      String status,
      int progressPercent,
      int completedLessons,
      OffsetDateTime enrolledAt,
      OffsetDateTime lastActivityAt,
      int assessmentCount,
      Double averageScore) {}

  @RegisterForReflection
  public record WeekCount(LocalDate week, long enrollments) {}

  /** How many students opened (reached) and completed a lesson: the drop-off along the course. */
  @RegisterForReflection
  public record LessonFunnel(
      long lessonId, int position, String title, long reached, long completed) {}

  /** Assessments of the course with a score in [from, to]. */
  @RegisterForReflection
  public record ScoreBucket(int from, int to, long count) {}

  /**
   * A course's figures. {@code completionRate} is completed ÷ all enrollments (cancelled ones
   * included), 0 without enrollments; {@code weeks} are the last 104 weeks with enrollments.
   */
  @RegisterForReflection
  public record CourseAnalytics(
      long courseId,
      OffsetDateTime asOf,
      long enrollments,
      long active,
      long completed,
      long cancelled,
      double completionRate,
      List<WeekCount> weeks,
      List<LessonFunnel> funnel,
      long assessments,
      Double averageScore,
      List<ScoreBucket> scores) {}

  @RegisterForReflection
  public record RankedStudent(
      long userId, String displayName, int completedLessons, int progressPercent, int rank) {}

  /** The caller's place; null fields when the caller is not a student of the course. */
  @RegisterForReflection
  public record MyPlace(Integer rank, Integer completedLessons, Integer progressPercent) {}

  /** Students ranked by completed lessons (ties share a rank), and the caller's rank. */
  @RegisterForReflection
  public record CourseLeaderboard(long courseId, List<RankedStudent> top, MyPlace me) {}
}
