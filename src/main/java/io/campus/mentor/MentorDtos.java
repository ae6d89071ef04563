package io.campus.mentor;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** Request and response bodies of the mentor endpoints. */
public final class MentorDtos {

  private MentorDtos() {}

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
