package io.campus.activity;

import io.campus.common.Cursor;
import io.campus.common.Page;
import io.campus.common.PageSize;
import io.campus.ops.DbRead;
import io.campus.progress.ActivityType.Subject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** A user's activity feed, newest first: one statement on activity_events_user_recent_idx. */
@ApplicationScoped
public class ActivityRepository {

  /**
   * The name of an event's subject for an activity_events row aliased {@code e}: one primary-key
   * lookup per event shown, so the feed stays a single statement.
   */
  public static String subjectName(String e) {
    return """
        case %1$s.subject_type
          when '%2$s' then (select c.title from courses c where c.id = %1$s.subject_id)
          when '%3$s' then (select l.title from lessons l where l.id = %1$s.subject_id)
          when '%4$s' then (select a.name from achievements a where a.id = %1$s.subject_id)
          when '%5$s' then (select ce.name from user_certifications uc
                                   join certifications ce on ce.id = uc.certification_id
                                   where uc.id = %1$s.subject_id)
        end"""
        .formatted(e, Subject.COURSE, Subject.LESSON, Subject.ACHIEVEMENT, Subject.CERTIFICATE);
  }

  private static final String FEED =
      """
      select e.id, e.type, e.subject_type, e.subject_id, %s as subject_name, e.detail, e.created_at
      from activity_events e
      where e.user_id = $1 %%s
      order by e.created_at desc, e.id desc
      limit $2
      """
          .formatted(subjectName("e"));

  private final Pool pool;

  public ActivityRepository(Pool pool) {
    this.pool = pool;
  }

  @DbRead
  public Uni<Page<ActivityDtos.ActivityView>> feed(long userId, String cursor, int limit) {
    String ordering = "activity:" + userId;
    List<Object> params = new ArrayList<>(List.of(userId, limit + 1));
    String keyset = Cursor.newestFirst(cursor, ordering, "e.created_at, e.id", params);
    return pool.preparedQuery(FEED.formatted(keyset))
        .execute(Tuple.from(params))
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
