package io.campus.mentor;

import io.campus.common.Cursor;
import io.campus.common.Page;
import io.campus.common.PageSize;
import io.campus.common.ProblemException;
import io.campus.ops.DbRead;
import io.campus.ops.DbWrite;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Mentor assignments and the listings built on them. Each call is one statement: a listing reads
 * the page with every figure it shows in one query, and access checks that need the database are
 * folded into that query.
 */
@ApplicationScoped
public class MentorRepository {

  // Stats and assessment aggregates are joined per student of the page only; the lateral
  // aggregate reads assessments_student_recent_idx, the page itself
  // mentor_assignments_mentor_active_idx in key order.
  private static final String STUDENTS =
      """
      with target as (select exists (select 1 from users where id = $1) as found)
      select target.found, x.* from target left join lateral (
        select u.id, u.display_name, u.email, ma.assigned_at,
               coalesce(s.points, 0) as points,
               coalesce(s.lessons_completed, 0) as lessons_completed,
               coalesce(s.courses_completed, 0) as courses_completed,
               coalesce(s.enrollments, 0) as enrollments,
               coalesce(s.current_streak, 0) as current_streak,
               s.last_active_on, ag.assessment_count, ag.average_score
        from mentor_assignments ma
          join users u on u.id = ma.student_id
          left join user_stats s on s.user_id = ma.student_id
          left join lateral (
            select count(*)::int as assessment_count, round(avg(a.score), 2)::float8 as average_score
            from assessments a where a.student_id = ma.student_id) ag on true
        where target.found and ma.mentor_id = $1 and ma.active %s
        order by ma.student_id
        limit $2) x on true
      """;

  private static final String MENTORS =
      """
      with access as (
        select ($2::boolean or exists (select 1 from mentor_assignments m
                                       where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok,
               exists (select 1 from users where id = $1) as found)
      select access.ok, access.found, x.* from access left join lateral (
        select u.id, u.display_name, u.email, ma.assigned_at
        from mentor_assignments ma join users u on u.id = ma.mentor_id
        where access.ok and ma.student_id = $1 and ma.active %s
        order by ma.mentor_id
        limit $4) x on true
      """;

  // Inserts a new assignment or re-activates an old one; an already active one keeps its date.
  // (xmax = 0) tells a fresh insert from the conflict update.
  private static final String ASSIGN =
      """
      with m as (select id, role from users where id = $1),
      s as (select id, role from users where id = $2),
      up as (
        insert into mentor_assignments as ma (mentor_id, student_id)
        select m.id, s.id from m, s where m.role = 'MENTOR' and s.role = 'STUDENT'
        on conflict (mentor_id, student_id) do update
          set active = true,
              assigned_at = case when ma.active then ma.assigned_at else now() end
        returning ma.assigned_at, (ma.xmax = 0) as created)
      select m.role as mentor_role, s.role as student_role, up.assigned_at, up.created
      from (select 1) one left join m on true left join s on true left join up on true
      """;

  private static final String UNASSIGN =
      "update mentor_assignments set active = false"
          + " where mentor_id = $1 and student_id = $2 and active";

  private final Pool pool;

  public MentorRepository(Pool pool) {
    this.pool = pool;
  }

  /** The outcome of an assignment: the assignment and whether it did not exist before. */
  public record Assigned(MentorDtos.Assignment assignment, boolean created) {}

  @DbRead
  public Uni<Page<MentorDtos.StudentSummary>> students(long mentorId, String cursor, int limit) {
    String ordering = "mentor-students:" + mentorId;
    List<String> keys = Cursor.decode(cursor, ordering, 1);
    List<Object> params = new ArrayList<>(List.of(mentorId, limit + 1));
    String keyset = "";
    if (keys != null) {
      params.add(Cursor.longKey(keys.get(0)));
      keyset = "and ma.student_id > $3";
    }
    return pool.preparedQuery(STUDENTS.formatted(keyset))
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<MentorDtos.StudentSummary> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (!row.getBoolean("found")) {
                  throw ProblemException.notFound("No user with this id.");
                }
                if (row.getLong("id") != null) {
                  list.add(
                      new MentorDtos.StudentSummary(
                          row.getLong("id"),
                          row.getString("display_name"),
                          row.getString("email"),
                          row.getOffsetDateTime("assigned_at"),
                          row.getInteger("points"),
                          row.getInteger("lessons_completed"),
                          row.getInteger("courses_completed"),
                          row.getInteger("enrollments"),
                          row.getInteger("current_streak"),
                          row.getLocalDate("last_active_on"),
                          row.getInteger("assessment_count"),
                          row.getDouble("average_score")));
                }
              }
              return PageSize.of(list, limit, last -> Cursor.encode(ordering, last.id()));
            });
  }

  /**
   * One page of a student's active mentors. {@code trusted} is true when the viewer is the student
   * or an admin; otherwise the viewer must be one of those mentors, checked in the same statement.
   */
  @DbRead
  public Uni<Page<MentorDtos.MentorSummary>> mentors(
      long studentId, boolean trusted, long viewerId, String cursor, int limit) {
    String ordering = "student-mentors:" + studentId;
    List<String> keys = Cursor.decode(cursor, ordering, 1);
    List<Object> params = new ArrayList<>(List.of(studentId, trusted, viewerId, limit + 1));
    String keyset = "";
    if (keys != null) {
      params.add(Cursor.longKey(keys.get(0)));
      keyset = "and ma.mentor_id > $5";
    }
    return pool.preparedQuery(MENTORS.formatted(keyset))
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<MentorDtos.MentorSummary> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (!row.getBoolean("ok")) {
                  throw ProblemException.forbidden("You may not see this student's mentors.");
                }
                if (!row.getBoolean("found")) {
                  throw ProblemException.notFound("No user with this id.");
                }
                if (row.getLong("id") != null) {
                  list.add(
                      new MentorDtos.MentorSummary(
                          row.getLong("id"),
                          row.getString("display_name"),
                          row.getString("email"),
                          row.getOffsetDateTime("assigned_at")));
                }
              }
              return PageSize.of(list, limit, last -> Cursor.encode(ordering, last.id()));
            });
  }

  /** Assigns; 404 for an unknown user, 422 when the roles do not fit. */
  @DbWrite
  public Uni<Assigned> assign(long mentorId, long studentId) {
    return pool.preparedQuery(ASSIGN)
        .execute(Tuple.of(mentorId, studentId))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              String mentorRole = row.getString("mentor_role");
              String studentRole = row.getString("student_role");
              if (mentorRole == null) {
                throw ProblemException.notFound("No user with id " + mentorId + ".");
              }
              if (studentRole == null) {
                throw ProblemException.notFound("No user with id " + studentId + ".");
              }
              if (!"MENTOR".equals(mentorRole)) {
                throw ProblemException.unprocessable(
                    "User " + mentorId + " is not a mentor (role " + mentorRole + ").");
              }
              if (!"STUDENT".equals(studentRole)) {
                throw ProblemException.unprocessable(
                    "User " + studentId + " is not a student (role " + studentRole + ").");
              }
              return new Assigned(
                  new MentorDtos.Assignment(
                      mentorId, studentId, true, row.getOffsetDateTime("assigned_at")),
                  row.getBoolean("created"));
            });
  }

  /** Deactivates an active assignment; false when there was none. */
  @DbWrite
  public Uni<Boolean> unassign(long mentorId, long studentId) {
    return pool.preparedQuery(UNASSIGN)
        .execute(Tuple.of(mentorId, studentId))
        .map(rows -> rows.rowCount() > 0);
  }
}
