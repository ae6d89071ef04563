package io.campus.enrollment;

import static io.campus.progress.ActivitySql.event;

import io.campus.course.CourseLevel;
import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.progress.ActivitySql;
import io.campus.progress.ActivityType;
import io.campus.progress.AwardSql;
import io.campus.progress.StatsSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Enrollment and progress writes are single statements whose data-modifying CTEs update every table
 * involved, so each is atomic and costs one round trip however much it changes.
 */
@ApplicationScoped
public class EnrollmentRepository {

  private static final String ENROLL =
      """
      with c as (
        select c.id, c.slug, c.title, c.category, c.level, c.lesson_count,
               u.display_name as instructor_name
        from courses c join users u on u.id = c.instructor_id
        where c.id = $2 and c.status = 'PUBLISHED'),
      ins as (
        insert into enrollments as en (user_id, course_id, last_activity_at)
        select $1, c.id, now() from c
        on conflict (user_id, course_id) do update
          -- re-enrolling after leaving resumes the kept progress
          set status = 'ACTIVE', last_activity_at = now()
          where en.status = 'CANCELLED'
        returning id, course_id, status, progress_percent, completed_lessons, enrolled_at,
                  last_activity_at, completed_at),
      st as (
        %1$s),
      ev as (
        %2$s),
      %3$s
      select c.*, ins.id as enrollment_id, ins.status, ins.progress_percent, ins.completed_lessons,
             ins.enrolled_at, ins.last_activity_at, ins.completed_at,
             %4$s as new_achievements,
             (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
              where m.student_id = $1 and m.active) as mentor_ids
      from c left join ins on true
      """
          .formatted(
              StatsSql.enrolled("$1", "ins"),
              ActivitySql.insert(event(ActivityType.ENROLLED, "$1", "ins.course_id", "ins")),
              AwardSql.awardCtes("st"),
              AwardSql.AWARDED_CODES);

  private static final String COMPLETE_LESSON =
      """
      with l as (
        select l.id, l.course_id, c.lesson_count
        from lessons l join courses c on c.id = l.course_id
        where l.id = $2),
      e as (
        select e.id from enrollments e join l on e.course_id = l.course_id
        where e.user_id = $1 and e.status <> 'CANCELLED'),
      lp as (
        insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)
        select $1, l.id, l.course_id, 'COMPLETED', now() from l where exists (select 1 from e)
        on conflict (user_id, lesson_id) do update
          set status = 'COMPLETED', completed_at = excluded.completed_at
          where lesson_progress.status <> 'COMPLETED'
        returning lesson_id),
      upd as (
        update enrollments en set
          completed_lessons = least(en.completed_lessons + 1, l.lesson_count),
          progress_percent = least(100, (en.completed_lessons + 1) * 100 / greatest(l.lesson_count, 1)),
          status = case when en.completed_lessons + 1 >= l.lesson_count then 'COMPLETED' else en.status end,
          completed_at = case when en.completed_lessons + 1 >= l.lesson_count
                              then coalesce(en.completed_at, now()) else en.completed_at end,
          last_activity_at = now()
        from l, e
        where en.id = e.id and exists (select 1 from lp)
        returning en.progress_percent, en.completed_lessons, en.status,
                  (en.status = 'COMPLETED' and en.completed_at = now()) as just_completed),
      st as (
        %1$s),
      ev as (
        %2$s),
      %3$s
      select l.id is not null as lesson_found, e.id is not null as enrolled,
             l.course_id, upd.progress_percent is not null as newly_completed,
             coalesce(upd.just_completed, false) as course_completed,
             coalesce(upd.progress_percent, en.progress_percent, 0) as progress_percent,
             coalesce(upd.completed_lessons, en.completed_lessons, 0) as completed_lessons,
             coalesce(upd.status, en.status) as status,
             coalesce(st.points, us.points, 0) + %5$s as points,
             coalesce(st.current_streak, us.current_streak, 0) as current_streak,
             %4$s as new_achievements,
             (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
              where m.student_id = $1 and m.active) as mentor_ids
      from (select 1) one
        left join l on true
        left join e on true
        left join enrollments en on en.id = e.id
        left join upd on true
        left join st on true
        left join user_stats us on us.user_id = $1
      """
          .formatted(
              StatsSql.lessonCompleted("$1", "upd", "upd.just_completed", "$3::int", "$4::int"),
              ActivitySql.insert(
                  event(ActivityType.LESSON_COMPLETED, "$1", "$2", "upd"),
                  event(
                      ActivityType.COURSE_COMPLETED,
                      "$1",
                      "l.course_id",
                      "upd, l where upd.just_completed")),
              AwardSql.awardCtes("st"),
              AwardSql.AWARDED_CODES,
              AwardSql.AWARDED_POINTS);

  // Leaving keeps progress, points and achievements; only ACTIVE enrollments are left (a completed
  // course stays on the record), so the enrollment counter moves exactly once per change.
  private static final String UNENROLL =
      """
      with e as (select id, status from enrollments where user_id = $1 and course_id = $2),
      upd as (
        update enrollments en set status = 'CANCELLED', last_activity_at = now()
        from e where en.id = e.id and e.status = 'ACTIVE'
        returning en.id),
      st as (
        %1$s),
      ev as (
        %2$s)
      select e.status, exists (select 1 from upd) as cancelled,
             (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
              where m.student_id = $1 and m.active) as mentor_ids
      from (select 1) one left join e on true
      """
          .formatted(
              StatsSql.unenrolled("$1", "upd"),
              ActivitySql.insert(event(ActivityType.UNENROLLED, "$1", "$2", "upd")));

  // The lesson opened last unless it has been completed since, else the first lesson not completed.
  private static final String RESUME =
      """
      select c.id as course_id, c.slug, e.status,
             ll.id as last_id, ll.position as last_position, ll.title as last_title,
             exists (select 1 from lesson_progress p
                     where p.user_id = $1 and p.lesson_id = ll.id and p.status = 'COMPLETED')
               as last_completed,
             nx.id as next_id, nx.position as next_position, nx.title as next_title
      from enrollments e
        join courses c on c.id = e.course_id
        left join lessons ll on ll.id = e.last_lesson_id
        left join lateral (
          select l.id, l.position, l.title from lessons l
          where l.course_id = e.course_id
            and not exists (select 1 from lesson_progress p
                            where p.user_id = $1 and p.lesson_id = l.id and p.status = 'COMPLETED')
          order by l.position limit 1) nx on true
      where e.user_id = $1 and e.course_id = $2 and e.status <> 'CANCELLED'
      """;

  // Undoing a completion takes back exactly what completing gave: the lesson's points, and when it
  // had completed the course, the course's points and completion. Awarded achievements (and their
  // points) stay: an award is never taken back. The lesson goes back to IN_PROGRESS.
  private static final String UNDO_COMPLETION =
      """
      with l as (
        select l.id, l.course_id, c.lesson_count
        from lessons l join courses c on c.id = l.course_id
        where l.id = $2),
      e as (
        select e.id, e.status from enrollments e join l on e.course_id = l.course_id
        where e.user_id = $1 and e.status <> 'CANCELLED'),
      lp as (
        update lesson_progress p set status = 'IN_PROGRESS', completed_at = null
        from e
        where p.user_id = $1 and p.lesson_id = $2 and p.status = 'COMPLETED'
        returning p.lesson_id),
      upd as (
        update enrollments en set
          completed_lessons = greatest(en.completed_lessons - 1, 0),
          progress_percent = least(100, greatest(en.completed_lessons - 1, 0) * 100
                                        / greatest(l.lesson_count, 1)),
          status = 'ACTIVE',
          completed_at = null,
          last_activity_at = now()
        from l, e
        where en.id = e.id and exists (select 1 from lp)
        returning en.progress_percent, en.completed_lessons, en.status,
                  (e.status = 'COMPLETED') as was_completed),
      st as (
        %1$s),
      ev as (
        %2$s)
      select l.id is not null as lesson_found, e.id is not null as enrolled, l.course_id,
             upd.progress_percent is not null as undone,
             coalesce(upd.progress_percent, en.progress_percent, 0) as progress_percent,
             coalesce(upd.completed_lessons, en.completed_lessons, 0) as completed_lessons,
             coalesce(upd.status, en.status) as status,
             coalesce(st.points, us.points, 0) as points,
             (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
              where m.student_id = $1 and m.active) as mentor_ids
      from (select 1) one
        left join l on true
        left join e on true
        left join enrollments en on en.id = e.id
        left join upd on true
        left join st on true
        left join user_stats us on us.user_id = $1
      """
          .formatted(
              StatsSql.completionUndone("$1", "upd", "upd.was_completed", "$3::int", "$4::int"),
              ActivitySql.insert(event(ActivityType.LESSON_UNCOMPLETED, "$1", "$2", "upd")));

  private static final String LIST =
      """
      with access as (
        select ($2::boolean or exists (select 1 from mentor_assignments m
                                       where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok)
      select access.ok, x.* from access left join lateral (
        select e.id, e.status, e.progress_percent, e.completed_lessons, e.enrolled_at,
               e.last_activity_at, e.completed_at, c.id as course_id, c.slug, c.title, c.category,
               c.level, c.lesson_count, u.display_name as instructor_name
        from enrollments e
          join courses c on c.id = e.course_id
          join users u on u.id = c.instructor_id
        where access.ok and e.user_id = $1 %s
        order by e.enrolled_at desc, e.id desc
        limit $4) x on true
      """;

  private final Pool pool;

  public EnrollmentRepository(Pool pool) {
    this.pool = pool;
  }

  /** An enrollment and the user's active mentors, whose student lists show enrollment counts. */
  public record Enrolled(EnrollmentDtos.EnrollmentView view, List<Long> mentorIds) {}

  /** Returns the new enrollment; 404 for an unknown or unpublished course, 409 if enrolled. */
  @DbWrite
  public Uni<Enrolled> enroll(long userId, long courseId) {
    return pool.preparedQuery(ENROLL)
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

  @DbWrite
  public Uni<Completion> completeLesson(
      long userId, long lessonId, int pointsPerLesson, int pointsPerCourse) {
    return pool.preparedQuery(COMPLETE_LESSON)
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
  @DbWrite
  public Uni<Left> unenroll(long userId, long courseId) {
    return pool.preparedQuery(UNENROLL)
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

  @DbWrite
  public Uni<Undone> undoCompletion(
      long userId, long lessonId, int pointsPerLesson, int pointsPerCourse) {
    return pool.preparedQuery(UNDO_COMPLETION)
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
   * same statement.
   */
  @DbRead
  public Uni<Page<EnrollmentDtos.EnrollmentView>> list(
      long userId, boolean trusted, long viewerId, String cursor, int limit) {
    String ordering = "enrollments:" + userId;
    List<Object> params = new ArrayList<>(List.of(userId, trusted, viewerId, limit + 1));
    String keyset = Cursor.newestFirst(cursor, ordering, "e.enrolled_at, e.id", params);
    return pool.preparedQuery(LIST.formatted(keyset))
        .execute(Tuple.from(params))
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
