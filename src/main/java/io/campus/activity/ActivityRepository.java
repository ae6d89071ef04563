package io.campus.activity;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.Pipelined;
import io.campus.progress.ActivityType.Subject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A user's activity feed, newest first: one statement on activity_events_user_recent_idx. */
@ApplicationScoped
public class ActivityRepository {

  /**
   * The name of an event's subject for an activity_events row aliased {@code e}: one primary-key
   * lookup per event shown, so the feed stays a single statement.
   */
  public static final String SUBJECT_NAME =
      Sql.fill(
              Sql.load("activity/subject-name"),
              Map.of(
                  "course", Subject.COURSE,
                  "lesson", Subject.LESSON,
                  "achievement", Subject.ACHIEVEMENT,
                  "certificate", Subject.CERTIFICATE))
          .strip();

  private static final String FEED = Sql.load("activity/feed");

  private final SqlClient reads;

  public ActivityRepository(Pipelined pipelined) {
    this.reads = pipelined.reads();
  }

  /** Cached, but each completion invalidates it: a bounded index read, pipelined. */
  @DbRead(pipelined = true)
  public Uni<Page<ActivityDtos.ActivityView>> feed(long userId, String cursor, int limit) {
    String ordering = "activity:" + userId;
    Where where =
        Where.with(userId, limit + 1)
            .keyset(
                cursor,
                ordering,
                "e.created_at, e.id",
                Where.Order.DESC,
                Where.Key.TIME,
                Where.Key.LONG);
    String sql = Sql.fill(FEED, Map.of("subjectName", SUBJECT_NAME, "keyset", where.sql()));
    return reads
        .preparedQuery(sql)
        .execute(where.tuple())
        .map(
            rows -> {
              List<ActivityDtos.ActivityView> list = new ArrayList<>(rows.size());
              rows.forEach(row -> list.add(view(row)));
              return PageSize.of(
                  list, limit, last -> Cursor.encode(ordering, last.createdAt(), last.id()));
            });
  }

  private static ActivityDtos.ActivityView view(Row row) {
    return new ActivityDtos.ActivityView(
        row.getLong("id"),
        row.getString("type"),
        row.getString("subject_type"),
        row.getLong("subject_id"),
        row.getString("subject_name"),
        row.getString("detail"),
        row.getOffsetDateTime("created_at"));
  }
}
