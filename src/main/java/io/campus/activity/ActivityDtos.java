package io.campus.activity;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the activity feed. */
public final class ActivityDtos {

  private ActivityDtos() {}

  /**
   * What {@code GET /api/activity} returns, for the OpenAPI document: the resource answers a {@code
   * Page<ActivityView>} already rendered to JSON bytes, which it cannot infer.
   */
  @Schema(name = "PageActivityView", description = "One page of activity, newest first")
  public record ActivityPageSchema(List<ActivityView> items, String next) {}

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
