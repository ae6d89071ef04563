package io.campus.lesson;

import io.campus.course.CourseStatus;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Lessons: each method is one statement; deleting and reordering, which move lessons, first lock
 * the course in a statement of their own (lesson/lock-course.sql). Writes check the course, the
 * caller's right to manage it and its status in the same statement, and report which check failed.
 */
@ApplicationScoped
public class LessonRepository {

  private static final String CONTENT = Sql.load("lesson/content");
  private static final String OPEN = Sql.load("lesson/open");
  private static final String EDIT = Sql.load("lesson/edit");
  private static final String DELETE = Sql.load("lesson/delete");
  private static final String REORDER = Sql.load("lesson/reorder");
  private static final String LOCK_COURSE = Sql.load("lesson/lock-course");

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

  /**
   * Returns the lesson's id; 404, 403 as the statement found, 412 when {@code lessonId} is not the
   * lesson at the position.
   */
  @DbWrite
  public Uni<Long> edit(
      String slug,
      int position,
      Long lessonId,
      boolean admin,
      long callerId,
      LessonDtos.EditLesson change) {
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
                    change.preview(),
                    lessonId)))
        .map(
            rows -> {
              Row row = checked(rows.iterator().next(), admin, callerId);
              if (row.getLong("lesson_id") == null) {
                // as for a delete, a named lesson not at the position (even an empty one now) is a
                // 412
                if (lessonId == null) {
                  throw ProblemException.notFound("No lesson at this position.");
                }
                throw moved(lessonId, "changed");
              }
              return row.getLong("lesson_id");
            });
  }

  @DbWrite
  public Uni<Void> delete(String slug, int position, Long lessonId, boolean admin, long callerId) {
    return withCourseLocked(
            slug,
            admin,
            callerId,
            DELETE,
            Tuple.from(java.util.Arrays.asList(slug, position, admin, callerId, lessonId)))
        .map(
            found -> {
              Row row = checked(found, admin, callerId);
              if (row.getLong("lesson_id") != null) {
                return null;
              }
              Long at = row.getLong("lesson_at");
              // A named lesson not at this position is a 412 even when the position is empty now:
              // the retry of deleting the last lesson must not read as a wrong position (404).
              if (at == null && lessonId == null) {
                throw ProblemException.notFound("No lesson at this position.");
              }
              if (lessonId != null && !lessonId.equals(at)) {
                throw moved(lessonId, "deleted");
              }
              requireDraft(row);
              if (row.getBoolean("has_students")) {
                throw ProblemException.unprocessable(
                    "Students have enrolled in this course: its lessons can be edited, not"
                        + " deleted.");
              }
              // The statement saw the lesson but could not delete it: not expected while deletes
              // and reorders of a course wait for each other's commit, kept as the safe answer.
              throw ProblemException.conflict(
                  "The course's lessons changed meanwhile; reload them and try again.");
            });
  }

  @DbWrite
  public Uni<Void> reorder(String slug, List<Long> lessonIds, boolean admin, long callerId) {
    return withCourseLocked(
            slug,
            admin,
            callerId,
            REORDER,
            Tuple.of(slug, admin, callerId, lessonIds.toArray(new Long[0])))
        .map(
            found -> {
              Row row = checked(found, admin, callerId);
              requireDraft(row);
              if (!row.getBoolean("same_lessons")) {
                throw ProblemException.invalidField(
                    "lessonIds", "must list every lesson of the course exactly once");
              }
              return null;
            });
  }

  /**
   * Runs {@code statement} in a transaction that first locks the course, when the caller manages
   * it: the statement's snapshot is taken once every earlier change of the course's lessons (an
   * append included) has committed, so it moves all of the course's lessons. Returns its first row.
   */
  private Uni<Row> withCourseLocked(
      String slug, boolean admin, long callerId, String statement, Tuple arguments) {
    return pool.withTransaction(
            connection ->
                connection
                    .preparedQuery(LOCK_COURSE)
                    .execute(Tuple.of(slug, admin, callerId))
                    .chain(() -> connection.preparedQuery(statement).execute(arguments)))
        .map(rows -> rows.iterator().next());
  }

  private static Row checked(Row row, boolean admin, long callerId) {
    boolean found = row.getBoolean("course_found");
    boolean manages = found && (admin || row.getLong("instructor_id") == callerId);
    // another mentor's unpublished course (draft or archived) is as unknown to them as it is in
    // the catalogue and its detail
    if (!found || (!manages && !"PUBLISHED".equals(row.getString("status")))) {
      throw ProblemException.notFound("No course with this slug.");
    }
    if (!manages) {
      throw ProblemException.forbidden("Only the course's instructor or an admin may change it.");
    }
    return row;
  }

  private static ProblemException moved(Long lessonId, String nothing) {
    return new ProblemException(
        412,
        "Precondition Failed",
        "Lesson "
            + lessonId
            + " is no longer at this position (deleted or moved); nothing was "
            + nothing
            + ".");
  }

  private static void requireDraft(Row row) {
    if (!"DRAFT".equals(row.getString("status"))) {
      throw ProblemException.unprocessable(
          "Lessons of a published or archived course can be edited, not reordered or deleted;"
              + " unpublish it first.");
    }
  }
}
