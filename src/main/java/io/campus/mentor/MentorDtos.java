package io.campus.mentor;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the mentor endpoints. */
public final class MentorDtos {

  private MentorDtos() {}

  /**
   * What {@code GET /api/mentors/{mentorId}/students} returns, for the OpenAPI document: the
   * resource answers a {@code Page<StudentSummary>} already rendered to JSON bytes.
   */
  @Schema(name = "PageStudentSummary", description = "One page of a mentor's students")
  public record StudentPageSchema(List<StudentSummary> items, String next) {}

  /** A mentor's student with the progress figures a mentor follows. */
  @RegisterForReflection
  public record StudentSummary(
      long id,
      String displayName,
      String email,
      OffsetDateTime assignedAt,
      int points,
      int lessonsCompleted,
      int coursesCompleted,
      int enrollments,
      int currentStreak,
      LocalDate lastActiveOn,
      int assessmentCount,
      Double averageScore) {}

  @RegisterForReflection
  public record MentorSummary(
      long id, String displayName, String email, OffsetDateTime assignedAt) {}

  @RegisterForReflection
  public record Assign(@NotNull @Positive Long mentorId, @NotNull @Positive Long studentId) {}

  @RegisterForReflection
  public record Assignment(
      long mentorId, long studentId, boolean active, OffsetDateTime assignedAt) {}
}
