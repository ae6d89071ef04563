package io.campus.insight;

import io.campus.common.Cursor;
import io.campus.common.Page;
import io.campus.common.PageSize;
import io.campus.common.ProblemException;
import io.campus.ops.DbRead;
import io.campus.ops.ReadReplica;
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

  // The page reads enrollments_course_recent_idx in key order; assessments are aggregated per
  // student of the page only (assessments_student_recent_idx).
  private static final String STUDENTS =
      """
      with c as (select id, instructor_id from courses where slug = $1)
      select c.id as course_id, c.instructor_id, x.* from c left join lateral (
        select e.id, e.user_id, u.display_name, e.status, e.progress_percent, e.completed_lessons,
               e.enrolled_at,
               greatest(e.last_activity_at, e.last_opened_at) as last_activity_at,
               ag.assessment_count, ag.average_score
        from enrollments e
          join users u on u.id = e.user_id
          left join lateral (
            select count(*)::int as assessment_count, round(avg(a.score), 2)::float8 as average_score
            from assessments a where a.student_id = e.user_id and a.course_id = c.id) ag on true
        where ($2 or c.instructor_id = $3) and e.course_id = c.id and e.status <> 'CANCELLED' %s
        order by e.enrolled_at desc, e.id desc
        limit $4) x on true
      """;

  // Every section aggregates the one course's rows through its course_id index.
  private static final String ANALYTICS =
      """
      select now() as as_of,
        (select row_to_json(x) from (
           select count(*) as enrollments,
                  count(*) filter (where status = 'ACTIVE') as active,
                  count(*) filter (where status = 'COMPLETED') as completed,
                  count(*) filter (where status = 'CANCELLED') as cancelled
           from enrollments where course_id = $1) x) as counts,
        (select coalesce(json_agg(w order by w.week), '[]'::json) from (
           select date_trunc('week', enrolled_at at time zone 'UTC')::date as week,
                  count(*) as enrollments
           from enrollments where course_id = $1
           group by 1 order by 1 desc limit 104) w) as weeks,
        (select coalesce(json_agg(f order by f.position), '[]'::json) from (
           select l.id as "lessonId", l.position, l.title,
                  coalesce(p.reached, 0) as reached, coalesce(p.completed, 0) as completed
           from lessons l left join (
             select lesson_id, count(*) as reached,
                    count(*) filter (where status = 'COMPLETED') as completed
             from lesson_progress where course_id = $1 group by lesson_id) p on p.lesson_id = l.id
           where l.course_id = $1) f) as funnel,
        (select row_to_json(x) from (
           select count(*) as assessments, round(avg(score), 2)::float8 as "averageScore"
           from assessments where course_id = $1) x) as assessed,
        (select coalesce(json_agg(b order by b."from"), '[]'::json) from (
           select least(score / 10, 9) * 10 as "from",
                  case when score >= 90 then 100 else least(score / 10, 9) * 10 + 9 end as "to",
                  count(*) as count
           from assessments where course_id = $1 group by 1, 2) b) as scores
      """;

  // Top N by completed lessons (enrollments_course_rank_idx, stops after N rows) and the caller's
  // rank: how many are ahead, read from the same index.
  private static final String LEADERBOARD =
      """
      with c as (select id, instructor_id, status from courses where slug = $1),
      me as (
        select e.completed_lessons, e.progress_percent from enrollments e join c on e.course_id = c.id
        where e.user_id = $2 and e.status <> 'CANCELLED')
      select c.id as course_id, c.instructor_id, c.status,
             me.completed_lessons as my_lessons, me.progress_percent as my_progress,
             (select count(*) + 1 from enrollments e
              where e.course_id = c.id and e.status <> 'CANCELLED'
                and e.completed_lessons > me.completed_lessons)::int as my_rank,
             (select coalesce(json_agg(t order by t.rank, t."userId"), '[]'::json) from (
                select e.user_id as "userId", u.display_name as "displayName",
                       e.completed_lessons as "completedLessons",
                       e.progress_percent as "progressPercent",
                       rank() over (order by e.completed_lessons desc)::int as rank
                from enrollments e join users u on u.id = e.user_id
                where e.course_id = c.id and e.status <> 'CANCELLED'
                  and ($3 or c.instructor_id = $2 or me.completed_lessons is not null)
                order by e.completed_lessons desc, e.user_id
                limit $4) t) as top
      from (select 1) one left join c on true left join me on true
      """;

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
    List<Object> params = new ArrayList<>(List.of(slug, admin, callerId, limit + 1));
    String keyset = Cursor.newestFirst(cursor, ordering, "e.enrolled_at, e.id", params);
    return pool.preparedQuery(STUDENTS.formatted(keyset))
        .execute(Tuple.from(params))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw ProblemException.notFound("No course with this slug.");
              }
              List<InsightDtos.CourseStudent> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (!admin && row.getLong("instructor_id") != callerId) {
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
