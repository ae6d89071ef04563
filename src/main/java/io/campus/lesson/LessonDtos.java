package io.campus.lesson;

import io.campus.course.CourseStatus;
import io.campus.platform.common.DisplayText;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Request and response bodies of the lesson endpoints. */
public final class LessonDtos {

  private LessonDtos() {}

  /**
   * The public part of a lesson, cached per lesson: the same for every reader. Holds the course's
   * status and instructor, so access is decided without another statement.
   */
  @RegisterForReflection
  public record LessonContent(
      long courseId,
      String courseSlug,
      CourseStatus courseStatus,
      long instructorId,
      long lessonId,
      int position,
      String title,
      String content,
      int durationMinutes,
      boolean preview,
      Integer previous,
      Integer next) {}

  /**
   * A lesson as its reader gets it: the content as stored (Markdown), the neighbouring positions
   * and the reader's own progress on it ({@code IN_PROGRESS}, {@code COMPLETED}, or null when the
   * reader is not enrolled).
   */
  @RegisterForReflection
  public record LessonRead(
      long courseId,
      String courseSlug,
      long lessonId,
      int position,
      String title,
      String content,
      int durationMinutes,
      boolean preview,
      Integer previous,
      Integer next,
      String progress) {}

  /** A change of one lesson: absent fields keep their value. */
  @RegisterForReflection
  public record EditLesson(
      @Size(min = 1, max = 200)
          @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
          @DisplayText
          String title,
      @Size(max = 100_000) @DisplayText(multiline = true) String content,
      @Min(0) @Max(1440) Integer durationMinutes,
      Boolean preview) {}

  /** Every lesson id of the course, in the new order. */
  @RegisterForReflection
  public record Reorder(
      @NotNull @NotEmpty @Size(max = 10_000) List<@NotNull @Min(1) Long> lessonIds) {}
}
