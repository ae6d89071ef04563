package io.campus.insight;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.ReadReplica;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** One statement per call, each checking the caller's access to the course itself. */
@ApplicationScoped
public class InsightRepository {

  private static final String STUDENTS = Sql.load("insight/students");
  private static final String ANALYTICS = Sql.load("insight/analytics");
  private static final String LEADERBOARD = Sql.load("insight/leaderboard");

  private final Pool pool;
  private final ReadReplica replica;

  public InsightRepository(Pool pool, ReadReplica replica) {
    this.pool = pool;
    this.replica = replica;
  }

  @DbRead
  public Uni<Page<InsightDtos.CourseStudent>> students(
      String slug, boolean admin, long callerId, String cursor, int limit) {
    String ordering = "course-students:" + slug;
    Where where =
        Where.with(slug, admin, callerId, limit + 1)
            .keyset(
                cursor,
                ordering,
                "e.enrolled_at, e.id",
                Where.Order.DESC,
                Where.Key.TIME,
                Where.Key.LONG);
    return pool.preparedQuery(Sql.fill(STUDENTS, "keyset", where.sql()))
        .execute(where.tuple())
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw ProblemException.notFound("No course with this slug.");
              }
              List<InsightDtos.CourseStudent> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (!admin && row.getLong("instructor_id") != callerId) {
                  // an unpublished course (draft or archived) is as unknown to outsiders as it
                  // is in the catalogue and its detail
                  if (!"PUBLISHED".equals(row.getString("course_status"))) {
                    throw ProblemException.notFound("No course with this slug.");
                  }
                  throw ProblemException.forbidden(
                      "Only the course's instructor or an admin may see its students.");
                }
                if (row.getLong("id") != null) {
                  list.add(
                      new InsightDtos.CourseStudent(
                          row.getLong("id"),
                          row.getLong("user_id"),
                          row.getString("display_name"),
                          row.getString("status"),
                          row.getInteger("progress_percent"),
                          row.getInteger("completed_lessons"),
                          row.getOffsetDateTime("enrolled_at"),
                          row.getOffsetDateTime("last_activity_at"),
                          row.getInteger("assessment_count"),
                          row.getDouble("average_score")));
                }
              }
              return PageSize.of(
                  list,
                  limit,
                  last -> Cursor.encode(ordering, last.enrolledAt(), last.enrollmentId()));
            });
  }

  /** Aggregates a minute stale anyway (cached): read from the replica when there is one. */
  @DbRead
  public Uni<InsightDtos.CourseAnalytics> analytics(long courseId) {
    return replica
        .read(client -> client.preparedQuery(ANALYTICS).execute(Tuple.of(courseId)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              JsonObject counts = json(row.getValue("counts"));
              JsonObject assessed = json(row.getValue("assessed"));
              List<InsightDtos.WeekCount> weeks = new ArrayList<>();
              for (Object o : array(row.getValue("weeks"))) {
                JsonObject w = (JsonObject) o;
                weeks.add(
                    new InsightDtos.WeekCount(
                        LocalDate.parse(w.getString("week")), w.getLong("enrollments")));
              }
              List<InsightDtos.LessonFunnel> funnel = new ArrayList<>();
              for (Object o : array(row.getValue("funnel"))) {
                JsonObject f = (JsonObject) o;
                funnel.add(
                    new InsightDtos.LessonFunnel(
                        f.getLong("lessonId"),
                        f.getInteger("position"),
                        f.getString("title"),
                        f.getLong("reached"),
                        f.getLong("completed")));
              }
              List<InsightDtos.ScoreBucket> scores = new ArrayList<>();
              for (Object o : array(row.getValue("scores"))) {
                JsonObject b = (JsonObject) o;
                scores.add(
                    new InsightDtos.ScoreBucket(
                        b.getInteger("from"), b.getInteger("to"), b.getLong("count")));
              }
              long enrollments = counts.getLong("enrollments");
              long completed = counts.getLong("completed");
              return new InsightDtos.CourseAnalytics(
                  courseId,
                  row.getOffsetDateTime("as_of"),
                  enrollments,
                  counts.getLong("active"),
                  completed,
                  counts.getLong("cancelled"),
                  enrollments == 0 ? 0 : Math.round(completed * 10000.0 / enrollments) / 100.0,
                  weeks,
                  funnel,
                  assessed.getLong("assessments"),
                  assessed.getDouble("averageScore"),
                  scores);
            });
  }

  @DbRead
  public Uni<InsightDtos.CourseLeaderboard> leaderboard(
      String slug, boolean admin, long callerId, int limit) {
    return pool.preparedQuery(LEADERBOARD)
        .execute(Tuple.of(slug, callerId, admin, limit))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              if (row.getLong("course_id") == null) {
                throw ProblemException.notFound("No course with this slug.");
              }
              boolean manager = admin || row.getLong("instructor_id") == callerId;
              boolean student = row.getInteger("my_lessons") != null;
              if (!manager && !student) {
                if (!"PUBLISHED".equals(row.getString("status"))) {
                  throw ProblemException.notFound("No course with this slug.");
                }
                throw ProblemException.forbidden(
                    "Only the course's students, its instructor and admins see its leaderboard.");
              }
              List<InsightDtos.RankedStudent> top = new ArrayList<>();
              for (Object o : array(row.getValue("top"))) {
                JsonObject t = (JsonObject) o;
                top.add(
                    new InsightDtos.RankedStudent(
                        t.getLong("userId"),
                        t.getString("displayName"),
                        t.getInteger("completedLessons"),
                        t.getInteger("progressPercent"),
                        t.getInteger("rank")));
              }
              InsightDtos.MyPlace me =
                  student
                      ? new InsightDtos.MyPlace(
                          row.getInteger("my_rank"),
                          row.getInteger("my_lessons"),
                          row.getInteger("my_progress"))
                      : new InsightDtos.MyPlace(null, null, null);
              return new InsightDtos.CourseLeaderboard(row.getLong("course_id"), top, me);
            });
  }

  private static JsonObject json(Object raw) {
    return raw instanceof JsonObject o ? o : new JsonObject(String.valueOf(raw));
  }

  private static JsonArray array(Object raw) {
    return raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
  }
}
