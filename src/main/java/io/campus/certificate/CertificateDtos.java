package io.campus.certificate;

import io.campus.platform.common.DisplayText;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of the certificate endpoints. */
public final class CertificateDtos {

  private CertificateDtos() {}

  /** A course's certification rules; absent minimums default to 100 %, 0 assessments, score 0. */
  @RegisterForReflection
  public record CertificationRules(
      @NotBlank @Size(max = 200) @DisplayText String name,
      @Min(0) @Max(100) Integer minProgress,
      @Min(0) @Max(1000) Integer minAssessments,
      @Min(0) @Max(100) Integer minAverageScore) {}

  @RegisterForReflection
  public record CertificationView(
      long id,
      long courseId,
      String courseTitle,
      String name,
      int minProgress,
      int minAssessments,
      int minAverageScore) {}

  @RegisterForReflection
  public record Issue(@NotNull @Positive Long courseId) {}

  @RegisterForReflection
  public record CertificateView(
      long id,
      long certificationId,
      String name,
      long courseId,
      String courseTitle,
      String verificationCode,
      OffsetDateTime issuedAt,
      boolean revoked) {}

  /**
   * One rule of a certification: COMPLETION (progress percent of the enrollment; actual null when
   * not enrolled), ASSESSMENTS (number of assessments for the course), AVERAGE_SCORE (their average
   * score; actual null when there are none).
   */
  @RegisterForReflection
  public record RuleCheck(String rule, int required, Number actual, boolean met) {}

  @RegisterForReflection
  public record Eligibility(
      long courseId,
      String name,
      boolean eligible,
      List<RuleCheck> rules,
      CertificateView certificate) {}

  /** What anyone holding a verification code may learn: nothing else about the holder. */
  @RegisterForReflection
  public record Verification(
      boolean valid,
      String holderName,
      String courseTitle,
      OffsetDateTime issuedAt,
      boolean revoked) {}
}
