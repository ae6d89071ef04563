package io.campus.course;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.Pipelined;
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
import java.util.Map;

/**
 * Read side of the catalogue: each method is a single statement served by an index (see the
 * schema). SQL is assembled per filter combination so every variant gets its own plan instead of a
 * generic one with {@code $1 is null or ...} branches.
 */
@ApplicationScoped
public class CourseRepository {

  private static final String BROWSE = Sql.load("course/browse");
  private static final String BROWSE_KNOWN_CATEGORY = Sql.load("course/browse-known-category");
  private static final String SEARCH = Sql.load("course/search");
  private static final String DETAIL = Sql.load("course/detail");

  private final Pool pool;
  private final SqlClient reads;

  public CourseRepository(Pool pool, Pipelined pipelined) {
    this.pool = pool;
    this.reads = pipelined.reads();
  }

  @DbRead
  public Uni<Page<CourseDtos.CourseSummary>> browse(
      String category, CourseLevel level, CourseSort sort, String cursor, int limit) {
    String ordering = "browse:" + sort + ":" + category + ":" + level;
    boolean newest = sort == CourseSort.NEWEST;
    Where where =
        Where.with()
            .eq("c.category", category)
            .eq("c.level", level == null ? null : level.name())
            .keyset(
                cursor,
                ordering,
                newest ? "c.published_at, c.id" : "c.title, c.id",
                newest ? Where.Order.DESC : Where.Order.ASC,
                newest ? Where.Key.TIME : Where.Key.TEXT,
                Where.Key.LONG);
    String sql = browseStatement(where, newest, category != null, limit);
    return pool.preparedQuery(sql)
        .execute(where.tuple())
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

  /** The browse statement of one filter combination, its limit bound last. */
  private static String browseStatement(
      Where where, boolean newest, boolean withCategory, int limit) {
    String sql =
        Sql.fill(
            BROWSE,
            Map.of(
                "where", where.sql(),
                "order", newest ? "c.published_at desc, c.id desc" : "c.title, c.id",
                "limit", where.bind(limit + 1)));
    if (!withCategory) {
      return sql;
    }
    // Also whether any published course has this category ($1), in the same statement.
    return Sql.fill(
        BROWSE_KNOWN_CATEGORY,
        Map.of(
            "page",
            sql.strip(),
            "order",
            newest ? "p.published_at desc, p.id desc" : "p.title, p.id"));
  }

  /** Full-text search over title, category and description, best match first. */
  @DbRead
  public Uni<Page<CourseDtos.CourseSummary>> search(String query, String cursor, int limit) {
    String ordering = "search:" + query;
    Where where =
        Where.with(query)
            .keyset(
                cursor,
                ordering,
                "ts_rank(c.search, q), c.id",
                Where.Order.DESC,
                Where.Key.REAL,
                Where.Key.LONG);
    String sql = Sql.fill(SEARCH, Map.of("where", where.sql(), "limit", where.bind(limit + 1)));
    return pool.preparedQuery(sql)
        .execute(where.tuple())
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
  /** Slugs of every course the user instructs, whatever its status. */
  @DbRead
  public Uni<List<String>> slugsInstructedBy(long instructorId) {
    return pool.preparedQuery("select slug from courses where instructor_id = $1")
        .execute(Tuple.of(instructorId))
        .map(
            rows -> {
              List<String> slugs = new ArrayList<>(rows.size());
              rows.forEach(row -> slugs.add(row.getString("slug")));
              return slugs;
            });
  }

  /** The hottest uncached read of the catalogue: pipelined. */
  @DbRead(pipelined = true)
  public Uni<CourseDtos.CourseDetail> findDetail(String slug) {
    return reads
        .preparedQuery(DETAIL)
        .execute(Tuple.of(slug))
        .map(rows -> rows.size() == 0 ? null : detail(rows.iterator().next()));
  }

  /**
   * Whether the user is enrolled (not cancelled) in the course: who may see an unpublished course's
   * detail besides its instructor and admins. Served by the enrollments' (user_id, course_id) key.
   */
  @DbRead(pipelined = true)
  public Uni<Boolean> isEnrolled(long userId, long courseId) {
    return reads
        .preparedQuery(
            "select exists (select 1 from enrollments where user_id = $1 and course_id = $2"
                + " and status <> 'CANCELLED') as enrolled")
        .execute(Tuple.of(userId, courseId))
        .map(rows -> rows.iterator().next().getBoolean("enrolled"));
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
