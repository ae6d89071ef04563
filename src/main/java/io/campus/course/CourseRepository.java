package io.campus.course;

import io.campus.common.Cursor;
import io.campus.common.Page;
import io.campus.common.PageSize;
import io.campus.common.ProblemException;
import io.campus.ops.DbRead;
import io.campus.ops.PipelinedReads;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Read side of the catalogue: each method is a single statement served by an index (see the
 * schema). SQL is assembled per filter combination so every variant gets its own plan instead of a
 * generic one with {@code $1 is null or ...} branches.
 */
@ApplicationScoped
public class CourseRepository {

  private static final String SUMMARY_COLUMNS =
      "c.id, c.slug, c.title, c.category, c.level, c.lesson_count, c.published_at,"
          + " u.display_name as instructor_name";

  private final Pool pool;
  private final SqlClient reads;

  public CourseRepository(Pool pool, PipelinedReads reads) {
    this.pool = pool;
    this.reads = reads.client();
  }

  @DbRead
  public Uni<Page<CourseDtos.CourseSummary>> browse(
      String category, CourseLevel level, CourseSort sort, String cursor, int limit) {
    String ordering = "browse:" + sort + ":" + category + ":" + level;
    List<String> keys = Cursor.decode(cursor, ordering, 2);
    StringBuilder sql =
        new StringBuilder("select ")
            .append(SUMMARY_COLUMNS)
            .append(
                " from courses c join users u on u.id = c.instructor_id"
                    + " where c.status = 'PUBLISHED'");
    List<Object> params = new ArrayList<>();
    if (category != null) {
      params.add(category);
      sql.append(" and c.category = $").append(params.size());
    }
    if (level != null) {
      params.add(level.name());
      sql.append(" and c.level = $").append(params.size());
    }
    if (keys != null) {
      if (sort == CourseSort.NEWEST) {
        params.add(Cursor.timeKey(keys.get(0)));
        params.add(Cursor.longKey(keys.get(1)));
        sql.append(" and (c.published_at, c.id) < ($")
            .append(params.size() - 1)
            .append(", $")
            .append(params.size())
            .append(")");
      } else {
        params.add(keys.get(0));
        params.add(Cursor.longKey(keys.get(1)));
        sql.append(" and (c.title, c.id) > ($")
            .append(params.size() - 1)
            .append(", $")
            .append(params.size())
            .append(")");
      }
    }
    sql.append(
        sort == CourseSort.NEWEST
            ? " order by c.published_at desc, c.id desc"
            : " order by c.title, c.id");
    params.add(limit + 1);
    sql.append(" limit $").append(params.size());
    if (category != null) {
      // Same statement: also whether any published course has this category, so an unknown one
      // is a 400 (and never a cached empty page) without a second round trip.
      sql.insert(
              0,
              "select p.*, k.known from (select exists(select 1 from courses"
                  + " where status = 'PUBLISHED' and category = $1) as known) k"
                  + " left join lateral (")
          .append(") p on true order by ")
          .append(sort == CourseSort.NEWEST ? "p.published_at desc, p.id desc" : "p.title, p.id");
    }
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<CourseDtos.CourseSummary> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (category != null && !row.getBoolean("known")) {
                  throw ProblemException.invalidField(
                      "category", "is not the category of any published course");
                }
                if (row.getValue("id") != null) {
                  list.add(summary(row));
                }
              }
              return PageSize.of(
                  list,
                  limit,
                  last ->
                      sort == CourseSort.NEWEST
                          ? Cursor.encode(ordering, last.publishedAt(), last.id())
                          : Cursor.encode(ordering, last.title(), last.id()));
            });
  }

  /** Full-text search over title, category and description, best match first. */
  @DbRead
  public Uni<Page<CourseDtos.CourseSummary>> search(String query, String cursor, int limit) {
    String ordering = "search:" + query;
    List<String> keys = Cursor.decode(cursor, ordering, 2);
    List<Object> params = new ArrayList<>();
    params.add(query);
    StringBuilder sql =
        new StringBuilder("select ")
            .append(SUMMARY_COLUMNS)
            .append(
                ", ts_rank(c.search, q) as rank from courses c"
                    + " join users u on u.id = c.instructor_id,"
                    + " websearch_to_tsquery('english', $1) q"
                    + " where c.status = 'PUBLISHED' and c.search @@ q");
    if (keys != null) {
      params.add(Cursor.floatKey(keys.get(0)));
      params.add(Cursor.longKey(keys.get(1)));
      sql.append(" and (ts_rank(c.search, q), c.id) < ($2::real, $3)");
    }
    params.add(limit + 1);
    sql.append(" order by rank desc, c.id desc limit $").append(params.size());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<CourseDtos.CourseSummary> list = new ArrayList<>(rows.size());
              List<Float> ranks = new ArrayList<>(rows.size());
              rows.forEach(
                  row -> {
                    list.add(summary(row));
                    ranks.add(row.getFloat("rank"));
                  });
              return PageSize.of(
                  list,
                  limit,
                  last -> Cursor.encode(ordering, ranks.get(list.indexOf(last)), last.id()));
            });
  }

  /** The course with its lessons in one round trip, or null. */
  /** The hottest uncached read of the catalogue: pipelined. */
  @DbRead
  public Uni<CourseDtos.CourseDetail> findDetail(String slug) {
    return reads
        .preparedQuery(
            "select c.id, c.slug, c.title, c.description, c.category, c.level, c.status,"
                + " c.instructor_id, u.display_name as instructor_name, c.lesson_count,"
                + " c.published_at,"
                + " coalesce((select json_agg(json_build_object('id', l.id, 'position', l.position,"
                + " 'title', l.title, 'durationMinutes', l.duration_minutes, 'preview', l.preview)"
                + " order by l.position)"
                + " from lessons l where l.course_id = c.id), '[]'::json) as lessons"
                + " from courses c join users u on u.id = c.instructor_id where c.slug = $1")
        .execute(Tuple.of(slug))
        .map(rows -> rows.size() == 0 ? null : detail(rows.iterator().next()));
  }

  private static CourseDtos.CourseSummary summary(Row row) {
    return new CourseDtos.CourseSummary(
        row.getLong("id"),
        row.getString("slug"),
        row.getString("title"),
        row.getString("category"),
        CourseLevel.valueOf(row.getString("level")),
        row.getInteger("lesson_count"),
        row.getString("instructor_name"),
        row.getOffsetDateTime("published_at"));
  }

  private static CourseDtos.CourseDetail detail(Row row) {
    Object raw = row.getValue("lessons");
    JsonArray array = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
    List<CourseDtos.LessonView> lessons = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject l = array.getJsonObject(i);
      lessons.add(
          new CourseDtos.LessonView(
              l.getLong("id"),
              l.getInteger("position"),
              l.getString("title"),
              l.getInteger("durationMinutes"),
              l.getBoolean("preview")));
    }
    return new CourseDtos.CourseDetail(
        row.getLong("id"),
        row.getString("slug"),
        row.getString("title"),
        row.getString("description"),
        row.getString("category"),
        CourseLevel.valueOf(row.getString("level")),
        CourseStatus.valueOf(row.getString("status")),
        row.getLong("instructor_id"),
        row.getString("instructor_name"),
        row.getInteger("lesson_count"),
        row.getOffsetDateTime("published_at"),
        lessons);
  }
}
