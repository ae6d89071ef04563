package io.campus.enrollment;

import static io.campus.platform.common.Where.Key.LONG;
import static io.campus.platform.common.Where.Key.TIME;
import static io.campus.progress.ActivitySql.event;

import io.campus.course.CourseLevel;
import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.platform.ops.Pipelined;
import io.campus.progress.ActivitySql;
import io.campus.progress.ActivityType;
import io.campus.progress.AwardSql;
import io.campus.progress.StatsSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Enrollment and progress writes are single statements whose data-modifying CTEs update every table
 * involved, so each is atomic and costs one round trip however much it changes.
 */
@ApplicationScoped
public class EnrollmentRepository {

  private static final String ENROLL =
      Sql.fill(
          Sql.load("enrollment/enroll"),
          Map.of(
              "stats",
              StatsSql.enrolled("$1", "ins"),
              "events",
              ActivitySql.insert(event(ActivityType.ENROLLED, "$1", "ins.course_id", "ins")),
              "awards",
              AwardSql.awardCtes("st"),
              "awarded_codes",
              AwardSql.AWARDED_CODES));

  private static final String COMPLETE_LESSON =
      Sql.fill(
          Sql.load("enrollment/complete-lesson"),
          Map.of(
              "stats",
              StatsSql.lessonCompleted("$1", "upd", "upd.just_completed", "$3::int", "$4::int"),
              "events",
              ActivitySql.insert(
                  event(ActivityType.LESSON_COMPLETED, "$1", "$2", "upd"),
                  event(
                      ActivityType.COURSE_COMPLETED,
                      "$1",
                      "l.course_id",
                      "upd, l where upd.just_completed")),
              "awards",
              AwardSql.awardCtes("st"),
              "awarded_codes",
              AwardSql.AWARDED_CODES,
              "awarded_points",
              AwardSql.AWARDED_POINTS));

  private static final String UNENROLL =
      Sql.fill(
          Sql.load("enrollment/unenroll"),
          Map.of(
              "stats",
              StatsSql.unenrolled("$1", "upd"),
              "events",
              ActivitySql.insert(event(ActivityType.UNENROLLED, "$1", "$2", "upd"))));

  private static final String RESUME = Sql.load("enrollment/resume");

  private static final String UNDO_COMPLETION =
      Sql.fill(
          Sql.load("enrollment/undo-completion"),
          Map.of(
              "stats",
              StatsSql.completionUndone("$1", "upd", "upd.was_completed", "$3::int", "$4::int"),
              "events",
              ActivitySql.insert(event(ActivityType.LESSON_UNCOMPLETED, "$1", "$2", "upd"))));

  private static final String LIST = Sql.load("enrollment/list");

  /**
   * What a mentor ($3) sees of a student's enrollments: the courses they may open themselves,
   * published ones, their own and those they are enrolled in (enrollments_user_id_course_id_key);
   * an unpublished course (draft or archived) stays as unknown to them as its detail is.
   */
  private static final String VISIBLE_TO_MENTOR =
      """
      and (c.status = 'PUBLISHED' or c.instructor_id = $3
           or exists (select 1 from enrollments v
                      where v.user_id = $3 and v.course_id = c.id and v.status <> 'CANCELLED'))""";

  private final Pool pool;
  private final SqlClient reads;
  private final SqlClient writes;

  public EnrollmentRepository(Pool pool, Pipelined pipelined) {
    this.pool = pool;
    this.reads = pipelined.reads();
    this.writes = pipelined.writes();
  }

  /** An enrollment and the user's active mentors, whose student lists show enrollment counts. */
  public record Enrolled(EnrollmentDtos.EnrollmentView view, List<Long> mentorIds) {}

  /** Returns the new enrollment; 404 for an unknown or unpublished course, 409 if enrolled. */
  @DbWrite(pipelined = true)
  public Uni<Enrolled> enroll(long userId, long courseId) {
    return writes
        .preparedQuery(ENROLL)
        .execute(Tuple.of(userId, courseId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw ProblemException.notFound("No published course with this id.");
              }
              Row row = rows.iterator().next();
              if (row.getLong("enrollment_id") == null) {
                throw ProblemException.conflict("You are already enrolled in this course.");
              }
              return new Enrolled(
                  view(row, row.getLong("enrollment_id"), row.getLong("id")), mentorIds(row));
            });
  }

  private static List<Long> mentorIds(Row row) {
    return List.of(row.getArrayOfLongs("mentor_ids"));
  }

  /** A completion and the user's active mentors, whose student lists it changes. */
  public record Completion(EnrollmentDtos.LessonCompletion view, List<Long> mentorIds) {}

  @DbWrite(pipelined = true)
  public Uni<Completion> completeLesson(
      long userId, long lessonId, int pointsPerLesson, int pointsPerCourse) {
    return writes
        .preparedQuery(COMPLETE_LESSON)
        .execute(Tuple.of(userId, lessonId, pointsPerLesson, pointsPerCourse))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              if (!row.getBoolean("lesson_found")) {
                throw ProblemException.notFound("No lesson with this id.");
              }
              if (!row.getBoolean("enrolled")) {
                throw ProblemException.forbidden(
                    "Enroll in the lesson's course before completing its lessons.");
              }
              return new Completion(
                  new EnrollmentDtos.LessonCompletion(
                      lessonId,
                      row.getLong("course_id"),
                      row.getBoolean("newly_completed"),
                      row.getBoolean("course_completed"),
                      row.getInteger("progress_percent"),
                      row.getInteger("completed_lessons"),
                      row.getString("status"),
                      row.getInteger("points"),
                      row.getInteger("current_streak"),
                      List.of(row.getArrayOfStrings("new_achievements"))),
                  mentorIds(row));
            });
  }

  /** What leaving changed: whether it did, and the user's active mentors. */
  public record Left(boolean cancelled, List<Long> mentorIds) {}

  /** Leaves a course; 404 when never enrolled, 422 for a completed course, idempotent. */
  @DbWrite(pipelined = true)
  public Uni<Left> unenroll(long userId, long courseId) {
    return writes
        .preparedQuery(UNENROLL)
        .execute(Tuple.of(userId, courseId))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              String status = row.getString("status");
              if (status == null) {
                throw ProblemException.notFound("You are not enrolled in this course.");
              }
              if ("COMPLETED".equals(status)) {
                throw ProblemException.unprocessable(
                    "A completed course stays on your record and cannot be left.");
              }
              return new Left(row.getBoolean("cancelled"), mentorIds(row));
            });
  }

  @DbRead
  public Uni<EnrollmentDtos.Resume> resume(long userId, long courseId) {
    return pool.preparedQuery(RESUME)
        .execute(Tuple.of(userId, courseId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw ProblemException.notFound("You are not enrolled in this course.");
              }
              Row row = rows.iterator().next();
              String prefix;
              EnrollmentDtos.ResumeReason reason;
              if (row.getLong("last_id") != null && !row.getBoolean("last_completed")) {
                prefix = "last_";
                reason = EnrollmentDtos.ResumeReason.LAST_OPENED;
              } else if (row.getLong("next_id") != null) {
                prefix = "next_";
                reason = EnrollmentDtos.ResumeReason.FIRST_NOT_COMPLETED;
              } else {
                return new EnrollmentDtos.Resume(
                    row.getLong("course_id"),
                    row.getString("slug"),
                    row.getString("status"),
                    EnrollmentDtos.ResumeReason.ALL_COMPLETED,
                    null,
                    null,
                    null);
              }
              return new EnrollmentDtos.Resume(
                  row.getLong("course_id"),
                  row.getString("slug"),
                  row.getString("status"),
                  reason,
                  row.getLong(prefix + "id"),
                  row.getInteger(prefix + "position"),
                  row.getString(prefix + "title"));
            });
  }

  /** An undone completion and the user's active mentors, whose student lists it changes. */
  public record Undone(EnrollmentDtos.CompletionUndone view, List<Long> mentorIds) {}

  @DbWrite(pipelined = true)
  public Uni<Undone> undoCompletion(
      long userId, long lessonId, int pointsPerLesson, int pointsPerCourse) {
    return writes
        .preparedQuery(UNDO_COMPLETION)
        .execute(Tuple.of(userId, lessonId, pointsPerLesson, pointsPerCourse))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              if (!row.getBoolean("lesson_found")) {
                throw ProblemException.notFound("No lesson with this id.");
              }
              if (!row.getBoolean("enrolled")) {
                throw ProblemException.forbidden("You are not enrolled in the lesson's course.");
              }
              return new Undone(
                  new EnrollmentDtos.CompletionUndone(
                      lessonId,
                      row.getLong("course_id"),
                      row.getBoolean("undone"),
                      row.getInteger("progress_percent"),
                      row.getInteger("completed_lessons"),
                      row.getString("status"),
                      row.getInteger("points")),
                  mentorIds(row));
            });
  }

  /**
   * One page of a user's enrollments with their courses. {@code trusted} is true when the viewer is
   * the user or an admin; otherwise the viewer must be the user's active mentor, checked in the
   * same statement, and sees only the courses they may open themselves (an unpublished course of
   * another instructor stays unknown to them). A bounded index read asked for on every "my courses"
   * view: pipelined.
   */
  @DbRead(pipelined = true)
  public Uni<Page<EnrollmentDtos.EnrollmentView>> list(
      long userId, boolean trusted, long viewerId, String cursor, int limit) {
    String ordering = "enrollments:" + userId;
    Where where =
        Where.with(userId, trusted, viewerId, limit + 1)
            .keyset(cursor, ordering, "e.enrolled_at, e.id", Where.Order.DESC, TIME, LONG);
    return reads
        .preparedQuery(
            Sql.fill(
                LIST,
                java.util.Map.of(
                    "visible", trusted ? "" : VISIBLE_TO_MENTOR, "keyset", where.sql())))
        .execute(where.tuple())
        .map(
            rows -> {
              List<EnrollmentDtos.EnrollmentView> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                if (!row.getBoolean("ok")) {
                  throw ProblemException.forbidden("You may not see this user's enrollments.");
                }
                if (row.getLong("id") != null) {
                  list.add(view(row, row.getLong("id"), row.getLong("course_id")));
                }
              }
              return PageSize.of(
                  list, limit, last -> Cursor.encode(ordering, last.enrolledAt(), last.id()));
            });
  }

  private static EnrollmentDtos.EnrollmentView view(Row row, long enrollmentId, long courseId) {
    return new EnrollmentDtos.EnrollmentView(
        enrollmentId,
        new EnrollmentDtos.CourseRef(
            courseId,
            row.getString("slug"),
            row.getString("title"),
            row.getString("category"),
            CourseLevel.valueOf(row.getString("level")),
            row.getInteger("lesson_count"),
            row.getString("instructor_name")),
        row.getString("status"),
        row.getInteger("progress_percent"),
        row.getInteger("completed_lessons"),
        row.getOffsetDateTime("enrolled_at"),
        row.getOffsetDateTime("last_activity_at"),
        row.getOffsetDateTime("completed_at"));
  }
}
