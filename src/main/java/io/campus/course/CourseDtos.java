package io.campus.course;

import io.campus.platform.common.DisplayText;
import io.campus.platform.common.Slug;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the course endpoints. */
public final class CourseDtos {

  public static final int MAX_LESSONS_PER_REQUEST = 200;

  /** A course's detail lists every lesson in one (cached) response: this bounds its size. */
  public static final int MAX_LESSONS_PER_COURSE = 500;

  private CourseDtos() {}

  /**
   * How the OpenAPI description names a catalogue page: the endpoints send a {@code
   * Page<CourseSummary>} already rendered to JSON bytes, which it cannot infer.
   */
  @Schema(name = "PageCourseSummary", description = "One page of the catalogue")
  public record CoursePageSchema(List<CourseSummary> items, String next) {}

  @RegisterForReflection
  public record CourseSummary(
      long id,
      String slug,
      String title,
      String category,
      CourseLevel level,
      int lessonCount,
      String instructorName,
      OffsetDateTime publishedAt) {}

  @RegisterForReflection
  public record LessonView(
      long id, int position, String title, int durationMinutes, boolean preview) {}

  @RegisterForReflection
  public record CourseDetail(
      long id,
      String slug,
      String title,
      String description,
      String category,
      CourseLevel level,
      CourseStatus status,
      long instructorId,
      String instructorName,
      int lessonCount,
      OffsetDateTime publishedAt,
      List<LessonView> lessons) {}

  @RegisterForReflection
  public record LessonInput(
      @NotBlank @Size(max = 200) @DisplayText String title,
      @Size(max = 100_000) @DisplayText(multiline = true) String content,
      @Min(0) @Max(1440) Integer durationMinutes,
      Boolean preview) {}

  @RegisterForReflection
  public record CreateCourse(
      @NotBlank @Size(max = Slug.MAX_LENGTH) @Slug String slug,
      @NotBlank @Size(max = 200) @DisplayText String title,
      @Size(max = 10_000) @DisplayText(multiline = true) String description,
      @NotBlank @Size(max = 60) @DisplayText String category,
      @NotNull CourseLevel level,
      @Size(max = MAX_LESSONS_PER_REQUEST) List<@Valid @NotNull LessonInput> lessons) {}

  @RegisterForReflection
  public record UpdateCourse(
      @NotBlank @Size(max = 200) @DisplayText String title,
      @Size(max = 10_000) @DisplayText(multiline = true) String description,
      @NotBlank @Size(max = 60) @DisplayText String category,
      @NotNull CourseLevel level) {}

  @RegisterForReflection
  public record AddLessons(
      @NotNull @Size(min = 1, max = MAX_LESSONS_PER_REQUEST)
          List<@Valid @NotNull LessonInput> lessons) {}
}
