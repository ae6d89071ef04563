package io.campus.lesson;

import io.campus.common.ProblemException;
import io.campus.course.CourseStatus;
import io.campus.ops.DbRead;
import io.campus.ops.DbWrite;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Lessons: each method is one statement. Writes check the course, the caller's right to manage it
 * and its status in the same statement, and report which check failed.
 */
@ApplicationScoped
public class LessonRepository {

  // previous/next are read from the (course_id, position) unique index.
  private static final String CONTENT =
      """
      select c.id as course_id, c.slug, c.status, c.instructor_id, l.id, l.position, l.title,
             l.content, l.duration_minutes, l.preview,
             (select max(p.position) from lessons p
              where p.course_id = c.id and p.position < l.position) as previous,
             (select min(n.position) from lessons n
              where n.course_id = c.id and n.position > l.position) as next
      from courses c join lessons l on l.course_id = c.id and l.position = $2
      where c.slug = $1
      """;

  // Marks the lesson IN_PROGRESS (a completed one stays COMPLETED) and records it as last opened,
  // only for a live enrollment; returns whether there is one and the reader's progress.
  private static final String OPEN =
      """
      with e as (
        update enrollments set last_lesson_id = $3, last_opened_at = now()
        where user_id = $1 and course_id = $2 and status <> 'CANCELLED'
        returning id),
      lp as (
        insert into lesson_progress (user_id, lesson_id, course_id, status)
        select $1, $3, $2, 'IN_PROGRESS' from e
        on conflict (user_id, lesson_id) do nothing
        returning status)
      select exists (select 1 from e) as enrolled,
             coalesce((select status from lp),
                      (select p.status from lesson_progress p
                       where p.user_id = $1 and p.lesson_id = $3 and exists (select 1 from e)))
               as progress
      """;

  // $1 slug, $2 position, $3 admin, $4 caller, then the fields (null keeps the value).
  private static final String EDIT =
      """
      with c as (select id, instructor_id, status from courses where slug = $1),
      upd as (
        update lessons l set
          title = coalesce($5, l.title),
          content = coalesce($6, l.content),
          duration_minutes = coalesce($7, l.duration_minutes),
          preview = coalesce($8, l.preview)
        from c
        where l.course_id = c.id and l.position = $2 and ($3 or c.instructor_id = $4)
        returning l.id),
      touch as (
        update courses set updated_at = now() from c
        where courses.id = c.id and exists (select 1 from upd))
      select c.id is not null as course_found, c.instructor_id, c.status,
             (select id from upd) as lesson_id
      from (select 1) one left join c on true
      """;

  // Deleting closes the gap: later lessons move up one position (the unique constraint on
  // (course_id, position) is checked at the end of the statement, see V4). Only drafts nobody is
  // enrolled in, so no progress or statistics refer to the lesson.
  private static final String DELETE =
      """
      with c as (
        select id, instructor_id, status,
               exists (select 1 from enrollments e where e.course_id = courses.id) as has_students
        from courses where slug = $1),
      allowed as (
        select c.id from c
        where ($3 or c.instructor_id = $4) and c.status = 'DRAFT' and not c.has_students),
      del as (
        delete from lessons l using allowed
        where l.course_id = allowed.id and l.position = $2
        returning l.id),
      shift as (
        update lessons l set position = l.position - 1 from allowed
        where l.course_id = allowed.id and l.position > $2 and exists (select 1 from del)),
      cnt as (
        update courses set lesson_count = lesson_count - 1, updated_at = now() from allowed
        where courses.id = allowed.id and exists (select 1 from del))
      select c.id is not null as course_found, c.instructor_id, c.status, c.has_students,
             (select id from del) as lesson_id,
             exists (select 1 from lessons l where l.course_id = c.id and l.position = $2)
               as lesson_exists
      from (select 1) one left join c on true
      """;

  // $4: the new order, which must hold every lesson of the course exactly once.
  private static final String REORDER =
      """
      with c as (select id, instructor_id, status from courses where slug = $1),
      same as (
        select (select array_agg(l.id order by l.id) from lessons l where l.course_id = c.id)
               = (select array_agg(x order by x) from unnest($4::bigint[]) x) as ok
        from c),
      allowed as (
        select c.id from c, same
        where ($2 or c.instructor_id = $3) and c.status = 'DRAFT' and same.ok),
      upd as (
        update lessons l set position = o.ord
        from unnest($4::bigint[]) with ordinality o(id, ord), allowed
        where l.course_id = allowed.id and l.id = o.id
        returning l.id),
      touch as (
        update courses set updated_at = now() from allowed where courses.id = allowed.id)
      select c.id is not null as course_found, c.instructor_id, c.status,
             coalesce(same.ok, false) as same_lessons, (select count(*) from upd) as moved
      from (select 1) one left join c on true left join same on true
      """;

  private final Pool pool;

  public LessonRepository(Pool pool) {
    this.pool = pool;
  }

  /** The lesson at a position of a course (any status), or null. */
  @DbRead
  public Uni<LessonDtos.LessonContent> content(String slug, int position) {
    return pool.preparedQuery(CONTENT)
        .execute(Tuple.of(slug, position))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new LessonDtos.LessonContent(
                  row.getLong("course_id"),
                  row.getString("slug"),
                  CourseStatus.valueOf(row.getString("status")),
                  row.getLong("instructor_id"),
                  row.getLong("id"),
                  row.getInteger("position"),
                  row.getString("title"),
                  row.getString("content"),
                  row.getInteger("duration_minutes"),
                  row.getBoolean("preview"),
                  row.getInteger("previous"),
                  row.getInteger("next"));
            });
  }

  /** Whether the user is enrolled (not cancelled), and their progress on the lesson. */
  public record Opened(boolean enrolled, String progress) {}

  @DbWrite
  public Uni<Opened> open(long userId, long courseId, long lessonId) {
    return pool.preparedQuery(OPEN)
        .execute(Tuple.of(userId, courseId, lessonId))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Opened(row.getBoolean("enrolled"), row.getString("progress"));
            });
  }

  /** Returns the course id; 404, 403 as the statement found. */
  @DbWrite
  public Uni<Long> edit(
      String slug, int position, boolean admin, long callerId, LessonDtos.EditLesson change) {
    return pool.preparedQuery(EDIT)
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    slug,
                    position,
                    admin,
                    callerId,
                    change.title() == null ? null : change.title().trim(),
                    change.content(),
                    change.durationMinutes(),
                    change.preview())))
        .map(
            rows -> {
              Row row = checked(rows.iterator().next(), admin, callerId);
              if (row.getLong("lesson_id") == null) {
                throw ProblemException.notFound("No lesson at this position.");
              }
              return row.getLong("lesson_id");
            });
  }

  @DbWrite
  public Uni<Void> delete(String slug, int position, boolean admin, long callerId) {
    return pool.preparedQuery(DELETE)
        .execute(Tuple.of(slug, position, admin, callerId))
        .map(
            rows -> {
              Row row = checked(rows.iterator().next(), admin, callerId);
              if (row.getLong("lesson_id") != null) {
                return null;
              }
              if (!row.getBoolean("lesson_exists")) {
                throw ProblemException.notFound("No lesson at this position.");
              }
              requireDraft(row);
              if (row.getBoolean("has_students")) {
                throw ProblemException.unprocessable(
                    "Students have enrolled in this course: its lessons can be edited, not"
                        + " deleted.");
              }
              throw new IllegalStateException("lesson not deleted for no known reason");
            });
  }

  @DbWrite
  public Uni<Void> reorder(String slug, List<Long> lessonIds, boolean admin, long callerId) {
    return pool.preparedQuery(REORDER)
        .execute(Tuple.of(slug, admin, callerId, lessonIds.toArray(new Long[0])))
        .map(
            rows -> {
              Row row = checked(rows.iterator().next(), admin, callerId);
              requireDraft(row);
              if (!row.getBoolean("same_lessons")) {
                throw ProblemException.invalidField(
                    "lessonIds", "must list every lesson of the course exactly once");
              }
              return null;
            });
  }

  private static Row checked(Row row, boolean admin, long callerId) {
    if (!row.getBoolean("course_found")) {
      throw ProblemException.notFound("No course with this slug.");
    }
    if (!admin && row.getLong("instructor_id") != callerId) {
      throw ProblemException.forbidden("Only the course's instructor or an admin may change it.");
    }
    return row;
  }

  private static void requireDraft(Row row) {
    if (!"DRAFT".equals(row.getString("status"))) {
      throw ProblemException.unprocessable(
          "Lessons of a published or archived course can be edited, not reordered or deleted;"
              + " unpublish it first.");
    }
  }
}
