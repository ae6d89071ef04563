package io.campus.assessment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campus.platform.common.Problem;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Assessment rows as the API's DTOs. A submission's answer is built here both from the rows the
 * insert returned and from the neutral copy of them its idempotency record stores, so that a replay
 * is rendered by the same code, and therefore the same JSON, as the first answer.
 */
public final class AssessmentMapper {

  // Reads stored records only; rendering is left to the API's own Jackson configuration.
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Problem ALREADY_RECORDED =
      new Problem(
          "about:blank", "Conflict", 409, "This assessment is already recorded.", null, null);

  private AssessmentMapper() {}

  /**
   * What a submission wrote: its status, counts and created rows in request order, and the active
   * mentors of the students it assessed (none for a replay). {@code refused}: a rule no longer held
   * when it was written, so it wrote nothing.
   */
  public record Written(
      int status,
      int created,
      int skipped,
      List<AssessmentDtos.AssessmentView> assessments,
      List<Long> mentorIds,
      boolean refused) {}

  /** A submission's HTTP answer: a DTO, or the raw JSON a record of the earlier format stored. */
  public record Outcome(
      int status, Object body, int created, boolean replayed, List<Long> mentorIds) {}

  /** One row of the assessments table, named as in {@code AssessmentRepository}'s statements. */
  static AssessmentDtos.AssessmentView view(Row row) {
    return new AssessmentDtos.AssessmentView(
        row.getLong("id"),
        row.getLong("student_id"),
        row.getLong("mentor_id"),
        row.getLong("course_id"),
        row.getString("skill"),
        row.getInteger("score"),
        row.getString("feedback"),
        row.getLocalDate("assessed_on"),
        row.getOffsetDateTime("created_at"));
  }

  /** The insert's answer: counts on every row, plus one row per created assessment (or none). */
  static Written written(RowSet<Row> rows) {
    List<AssessmentDtos.AssessmentView> created = new ArrayList<>(rows.size());
    Row first = null;
    for (Row row : rows) {
      first = first == null ? row : first;
      if (row.getLong("id") != null) {
        created.add(view(row));
      }
    }
    return new Written(
        first.getInteger("status"),
        first.getInteger("created"),
        first.getInteger("skipped"),
        created,
        List.of(first.getArrayOfLongs("mentor_ids")),
        first.getBoolean("refused"));
  }

  static Outcome outcome(boolean single, Written written, boolean replayed) {
    Object body;
    if (written.status() == 409) {
      body = ALREADY_RECORDED;
    } else if (single) {
      body = written.assessments().get(0);
    } else {
      body =
          new AssessmentDtos.BulkResult(
              written.created(), written.skipped(), written.assessments());
    }
    return new Outcome(written.status(), body, written.created(), replayed, written.mentorIds());
  }

  /**
   * The answer of a stored idempotency record. Records hold the created rows (see the insert's
   * {@code kept}); a record written before they did holds the response body itself, sent as is.
   */
  static Outcome replay(boolean single, int status, String stored) {
    JsonNode record;
    try {
      record = JSON.readTree(stored);
    } catch (JsonProcessingException e) {
      record = null;
    }
    if (record == null || !record.isObject() || !record.has("rows")) {
      return new Outcome(status, stored, 0, true, List.of());
    }
    List<AssessmentDtos.AssessmentView> rows = new ArrayList<>(record.get("rows").size());
    for (JsonNode row : record.get("rows")) {
      rows.add(view(row));
    }
    Written written =
        new Written(
            status,
            record.get("created").asInt(),
            record.get("skipped").asInt(),
            rows,
            List.of(),
            false);
    return outcome(single, written, true);
  }

  /** A stored row: the table's columns, with created_at as microseconds since the epoch. */
  private static AssessmentDtos.AssessmentView view(JsonNode row) {
    JsonNode course = row.get("course_id");
    JsonNode feedback = row.get("feedback");
    return new AssessmentDtos.AssessmentView(
        row.get("id").asLong(),
        row.get("student_id").asLong(),
        row.get("mentor_id").asLong(),
        course == null || course.isNull() ? null : course.asLong(),
        row.get("skill").asText(),
        row.get("score").asInt(),
        feedback == null || feedback.isNull() ? null : feedback.asText(),
        LocalDate.parse(row.get("assessed_on").asText()),
        // UTC, as the database client returns timestamps of fresh rows
        OffsetDateTime.ofInstant(
            Instant.EPOCH.plus(row.get("created_at_us").asLong(), ChronoUnit.MICROS),
            ZoneOffset.UTC));
  }
}
