package io.campus.achievement;

import io.campus.platform.common.DisplayText;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** Request and response bodies of the achievement endpoints. */
public final class AchievementDtos {

  private AchievementDtos() {}

  /**
   * At most this many achievements and points each: a user earns at most 10^8 points from
   * achievements, which leaves more than 2*10^9 of user_stats.points (an int) to lessons and
   * courses, so an award can never overflow it.
   */
  public static final int MAX_ACHIEVEMENTS = 10_000;

  public static final int MAX_POINTS = 10_000;

  /** Far above any counter a user can reach; keeps thresholds clear of the int range's edge. */
  public static final int MAX_THRESHOLD = 1_000_000_000;

  @RegisterForReflection
  public record CreateAchievement(
      @NotNull
          @Pattern(
              regexp = "^[A-Z0-9_]{2,60}$",
              message = "must be 2 to 60 upper-case letters, digits or underscores")
          String code,
      @NotBlank @Size(max = 100) @DisplayText String name,
      @Size(max = 1000) @DisplayText(multiline = true) String description,
      @NotNull RuleType ruleType,
      @NotNull @Positive @Max(MAX_THRESHOLD) Integer threshold,
      @PositiveOrZero @Max(MAX_POINTS) Integer points) {}

  @RegisterForReflection
  public record AchievementView(
      long id,
      String code,
      String name,
      String description,
      RuleType ruleType,
      int threshold,
      int points) {}

  /** An achievement with the caller's progress towards it; awardedAt is null until awarded. */
  @RegisterForReflection
  public record AchievementProgress(
      long id,
      String code,
      String name,
      String description,
      RuleType ruleType,
      int threshold,
      int points,
      int current,
      int percent,
      OffsetDateTime awardedAt) {}

  /** An achievement a user was awarded (dashboard). */
  @RegisterForReflection
  public record AwardedAchievement(
      long id,
      String code,
      String name,
      String description,
      RuleType ruleType,
      int points,
      OffsetDateTime awardedAt) {}
}
