package io.campus.activity;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** Response bodies of the activity feed. */
public final class ActivityDtos {

  private ActivityDtos() {}

  /**
   * One event of a user's feed; subjectName is the title or name of the course, lesson, achievement
   * or certification it is about, when it still exists.
   */
  @RegisterForReflection
  public record ActivityView(
      long id,
      String type,
      String subjectType,
      Long subjectId,
      String subjectName,
      String detail,
      OffsetDateTime createdAt) {}
}
