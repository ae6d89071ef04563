package io.campus.assessment;

import io.campus.platform.common.DisplayText;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the assessment endpoints. */
public final class AssessmentDtos {

  static final int MAX_SKILL = 120;
  static final int MAX_FEEDBACK = 4000;

  /** The earliest assessedOn accepted; the latest is today (UTC). */
  static final LocalDate EARLIEST_ASSESSED_ON = LocalDate.of(2000, 1, 1);

  private static final String REQUIRED = "is required";
  private static final String POSITIVE_ID = "must be a positive id";
  private static final String SCORE = "must be a whole number from 0 to 100";

  private AssessmentDtos() {}

  /**
   * One evaluation of a student. Fields are deliberately loose types (a decimal score, a text
   * date): every item is checked by {@link AssessmentValidator}, which applies these constraints
   * item by item, so that all invalid items of a bulk request are reported together, by index,
   * instead of the first parse error. The date is checked there too.
   */
  @RegisterForReflection
  public record AssessmentInput(
      @NotNull(message = REQUIRED) @Positive(message = POSITIVE_ID) Long studentId,
      @Positive(message = POSITIVE_ID) Long courseId,
      @PlainText(max = MAX_SKILL, required = true) @DisplayText String skill,
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "0", message = SCORE)
          @DecimalMax(value = "100", message = SCORE)
          @WholeNumber(message = SCORE)
          BigDecimal score,
      @PlainText(max = MAX_FEEDBACK) @DisplayText(multiline = true) String feedback,
      @Schema(description = "YYYY-MM-DD, from 2000-01-01 to today (UTC); today when absent")
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
