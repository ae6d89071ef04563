package io.campus.enrollment;

import io.campus.course.CourseLevel;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of enrollment and progress endpoints. */
public final class EnrollmentDtos {

  private EnrollmentDtos() {}

  @RegisterForReflection
  public record Enroll(@NotNull @Positive Long courseId) {}

  @RegisterForReflection
  public record CourseRef(
      long id,
      String slug,
      String title,
      String category,
      CourseLevel level,
      int lessonCount,
      String instructorName) {}

  @RegisterForReflection
  public record EnrollmentView(
      long id,
      CourseRef course,
      String status,
      int progressPercent,
      int completedLessons,
      OffsetDateTime enrolledAt,
      OffsetDateTime lastActivityAt,
      OffsetDateTime completedAt) {}

  @RegisterForReflection
  public record LessonCompletion(
      long lessonId,
      long courseId,
      boolean newlyCompleted,
      boolean courseCompleted,
      int progressPercent,
      int completedLessons,
      String enrollmentStatus,
      int points,
      int currentStreak,
      List<String> newAchievements) {}

  /** Why {@link Resume} points at its lesson. */
  public enum ResumeReason {
    /** The lesson opened last, not completed since. */
    LAST_OPENED,
    /** The first lesson (by position) not completed yet. */
    FIRST_NOT_COMPLETED,
    /** Every lesson is completed: no lesson to continue with. */
    ALL_COMPLETED
  }

  /** The lesson to continue with; lesson fields are null when every lesson is completed. */
  @RegisterForReflection
  public record Resume(
      long courseId,
      String courseSlug,
      String enrollmentStatus,
      ResumeReason reason,
      Long lessonId,
      Integer position,
      String title) {}

  /** The result of undoing a completion; {@code undone} is false when it was not completed. */
  @RegisterForReflection
  public record CompletionUndone(
      long lessonId,
      long courseId,
      boolean undone,
      int progressPercent,
      int completedLessons,
      String enrollmentStatus,
      int points) {}
}
