package io.campus.assessment;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of the assessment endpoints. */
public final class AssessmentDtos {

  private AssessmentDtos() {}

  /**
   * One evaluation of a student. Fields are deliberately loose types (a decimal score, a text
   * date): every item is checked by {@link AssessmentService} so that all invalid items of a bulk
   * request are reported together, by index, instead of the first parse error.
   */
  @RegisterForReflection
  public record AssessmentInput(
      Long studentId,
      Long courseId,
      String skill,
      BigDecimal score,
      String feedback,
      String assessedOn) {}

  @RegisterForReflection
  public record BulkRequest(List<AssessmentInput> items) {}

  @RegisterForReflection
  public record AssessmentView(
      long id,
      long studentId,
      long mentorId,
      Long courseId,
      String skill,
      int score,
      String feedback,
      LocalDate assessedOn,
      OffsetDateTime createdAt) {}

  /** Response of a bulk submission; {@code skipped} counts items recorded by earlier requests. */
  @RegisterForReflection
  public record BulkResult(int created, int skipped, List<AssessmentView> assessments) {}
}
