package io.campus.progress;

import io.campus.platform.common.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts into the activity feed, for a data-modifying CTE of the statement that made the change
 * (or, for bulk loads, a statement of its own). Types and subject types are the {@link
 * ActivityType} constants written as literals, so a statement keeps its shape and parameters.
 */
public final class ActivitySql {

  private static final String INSERT =
      """
      insert into activity_events (user_id, type, subject_type, subject_id/*{detail}*//*{created_at}*/)
      /*{rows}*/""";

  private static final String ROW =
      """
      select /*{user}*/, '/*{type}*/', '/*{subject_type}*/', /*{subject}*//*{detail}*//*{created_at}*/ \
      from /*{from}*/""";

  private static final String NEXT_COLUMN = ", /*{column}*/";

  private ActivitySql() {}

  /**
   * One kind of event, one row per row of {@code from}.
   *
   * @param user the SQL expression of the user the event belongs to
   * @param subject the SQL expression of the subject's id (a {@code type.subject()})
   * @param from what follows FROM: the rows the events are for, with any join or WHERE
   * @param detail the SQL expression of the detail, null for none
   * @param createdAt the SQL expression of when it happened, null for now
   */
  public record Event(
      ActivityType type,
      String user,
      String subject,
      String from,
      String detail,
      String createdAt) {

    /** The same event with a detail, e.g. the skill assessed or the certificate's name. */
    public Event withDetail(String expression) {
      return new Event(type, user, subject, from, expression, createdAt);
    }

    /** The same event dated by an expression instead of now (generated data). */
    public Event at(String expression) {
      return new Event(type, user, subject, from, detail, expression);
    }
  }

  /** An event of {@code type} for user {@code user} about {@code subject}, per row of from. */
  public static Event event(ActivityType type, String user, String subject, String from) {
    return new Event(type, user, subject, from, null, null);
  }

  /**
   * The insert of all events in one statement (rows of several kinds joined by UNION ALL); for a
   * CTE body or a statement of its own. Columns not given fall back to the table's defaults.
   */
  public static String insert(Event... events) {
    boolean details = Arrays.stream(events).anyMatch(e -> e.detail() != null);
    boolean dates = Arrays.stream(events).anyMatch(e -> e.createdAt() != null);
    List<String> rows = new ArrayList<>(events.length);
    for (Event e : events) {
      Map<String, String> row = new HashMap<>();
      row.put("user", e.user());
      row.put("type", e.type().name());
      row.put("subject_type", e.type().subject().name());
      row.put("subject", e.subject());
      row.put("detail", details ? column(e.detail() == null ? "''" : e.detail()) : "");
      row.put("created_at", dates ? column(e.createdAt() == null ? "now()" : e.createdAt()) : "");
      row.put("from", e.from());
      rows.add(Sql.fill(ROW, row));
    }
    return Sql.fill(
        INSERT,
        Map.of(
            "detail", details ? column("detail") : "",
            "created_at", dates ? column("created_at") : "",
            "rows", String.join("\nunion all\n", rows)));
  }

  /** One more column (or value) of an optional column. */
  private static String column(String expression) {
    return Sql.fill(NEXT_COLUMN, "column", expression);
  }
}
