package io.campus.mentor;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.platform.ops.Pipelined;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
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

  private static final String STUDENTS = Sql.load("mentor/students");
  private static final String MENTORS = Sql.load("mentor/mentors");
  private static final String ASSIGN = Sql.load("mentor/assign");

  private static final String UNASSIGN =
      """
      update mentor_assignments set active = false
      where mentor_id = $1 and student_id = $2 and active
      """;

  private final Pool pool;
  private final SqlClient reads;

  public MentorRepository(Pool pool, Pipelined pipelined) {
    this.pool = pool;
    this.reads = pipelined.reads();
  }

  /** The outcome of an assignment: the assignment and whether it did not exist before. */
  public record Assigned(MentorDtos.Assignment assignment, boolean created) {}

  /**
   * A page of a mentor's students with their progress and assessment figures. Cached, but every
   * assessment the mentor records invalidates it, so it is loaded about as often as it is written:
   * one bounded statement (a page of students, each with an index range of assessments), pipelined.
   */
  @DbRead(pipelined = true)
  public Uni<Page<MentorDtos.StudentSummary>> students(long mentorId, String cursor, int limit) {
    String ordering = "mentor-students:" + mentorId;
    Where where =
        Where.with(mentorId, limit + 1)
            .keyset(cursor, ordering, "ma.student_id", Where.Order.ASC, Where.Key.LONG);
    return reads
        .preparedQuery(Sql.fill(STUDENTS, "keyset", where.sql()))
        .execute(where.tuple())
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
    Where where =
        Where.with(studentId, trusted, viewerId, limit + 1)
            .keyset(cursor, ordering, "ma.mentor_id", Where.Order.ASC, Where.Key.LONG);
    return pool.preparedQuery(Sql.fill(MENTORS, "keyset", where.sql()))
        .execute(where.tuple())
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
