package io.campus.user;

import io.campus.ops.DbRead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Everything held about one user as one JSON document, built by PostgreSQL in one statement. Each
 * list section holds at most {@code limit} items, newest first, and says whether it was cut.
 * Secrets (password hash, token hashes) are never selected.
 */
@ApplicationScoped
public class DataExportRepository {

  /** A list section: its items (at most $2, in {@code order}) and whether there were more. */
  private static String section(String name, String item, String from, String order) {
    return "'"
        + name
        + "', (select json_build_object('items', coalesce(json_agg(x.j order by x.n)"
        + " filter (where x.n <= $2), '[]'::json), 'truncated', count(*) > $2)"
        + " from (select "
        + item
        + " as j, row_number() over (order by "
        + order
        + ") as n from "
        + from
        + " order by "
        + order
        + " limit $2 + 1) x)";
  }

  static final String EXPORT =
      "select json_build_object("
          + "'exportedAt', now(),"
          + " 'profile', (select json_build_object('id', u.id, 'email', u.email,"
          + " 'displayName', u.display_name, 'role', u.role, 'createdAt', u.created_at,"
          + " 'emailConfirmedAt', u.email_confirmed_at) from users u where u.id = $1),"
          + " 'stats', (select json_build_object('points', s.points,"
          + " 'lessonsCompleted', s.lessons_completed, 'coursesCompleted', s.courses_completed,"
          + " 'enrollments', s.enrollments, 'assessmentsReceived', s.assessments_received,"
          + " 'currentStreak', s.current_streak, 'longestStreak', s.longest_streak,"
          + " 'lastActiveOn', s.last_active_on) from user_stats s where s.user_id = $1), "
          + section(
              "enrollments",
              "json_build_object('courseId', e.course_id, 'courseSlug', c.slug,"
                  + " 'courseTitle', c.title, 'status', e.status,"
                  + " 'completedLessons', e.completed_lessons,"
                  + " 'progressPercent', e.progress_percent, 'enrolledAt', e.enrolled_at,"
                  + " 'lastActivityAt', e.last_activity_at, 'completedAt', e.completed_at,"
                  + " 'lastLessonId', e.last_lesson_id, 'lastOpenedAt', e.last_opened_at)",
              "enrollments e join courses c on c.id = e.course_id where e.user_id = $1",
              "e.enrolled_at desc, e.id desc")
          + ", "
          + section(
              "lessonProgress",
              "json_build_object('lessonId', p.lesson_id, 'lessonTitle', l.title,"
                  + " 'courseId', p.course_id, 'status', p.status,"
                  + " 'completedAt', p.completed_at)",
              "lesson_progress p join lessons l on l.id = p.lesson_id where p.user_id = $1",
              "p.id desc")
          + ", "
          + section(
              "assessmentsReceived",
              "json_build_object('id', a.id, 'mentorId', a.mentor_id, 'courseId', a.course_id,"
                  + " 'skill', a.skill, 'score', a.score, 'feedback', a.feedback,"
                  + " 'assessedOn', a.assessed_on, 'createdAt', a.created_at)",
              "assessments a where a.student_id = $1",
              "a.assessed_on desc, a.id desc")
          + ", "
          + section(
              "assessmentsGiven",
              "json_build_object('id', a.id, 'studentId', a.student_id, 'courseId', a.course_id,"
                  + " 'skill', a.skill, 'score', a.score, 'feedback', a.feedback,"
                  + " 'assessedOn', a.assessed_on, 'createdAt', a.created_at)",
              "assessments a where a.mentor_id = $1",
              "a.assessed_on desc, a.id desc")
          + ", "
          + section(
              "certificates",
              "json_build_object('id', uc.id, 'certification', ce.name,"
                  + " 'courseId', ce.course_id, 'verificationCode', uc.verification_code,"
                  + " 'issuedAt', uc.issued_at, 'revoked', uc.revoked)",
              "user_certifications uc join certifications ce on ce.id = uc.certification_id"
                  + " where uc.user_id = $1",
              "uc.issued_at desc, uc.id desc")
          + ", "
          + section(
              "achievements",
              "json_build_object('code', a.code, 'name', a.name, 'points', a.points,"
                  + " 'awardedAt', ua.awarded_at)",
              "user_achievements ua join achievements a on a.id = ua.achievement_id"
                  + " where ua.user_id = $1",
              "ua.awarded_at desc, ua.achievement_id desc")
          + ", "
          + section(
              "activity",
              "json_build_object('id', ev.id, 'type', ev.type, 'subjectType', ev.subject_type,"
                  + " 'subjectId', ev.subject_id, 'detail', ev.detail,"
                  + " 'createdAt', ev.created_at)",
              "activity_events ev where ev.user_id = $1",
              "ev.created_at desc, ev.id desc")
          + ", "
          + section(
              "sessions",
              "json_build_object('id', se.id, 'createdAt', se.created_at,"
                  + " 'lastUsedAt', se.last_used_at, 'expiresAt', se.expires_at,"
                  + " 'userAgent', se.user_agent)",
              "sessions se where se.user_id = $1",
              "se.created_at desc, se.id desc")
          + ", "
          + section(
              "mentorAssignments",
              "json_build_object('mentorId', ma.mentor_id, 'studentId', ma.student_id,"
                  + " 'asMentor', ma.mentor_id = $1, 'active', ma.active,"
                  + " 'assignedAt', ma.assigned_at)",
              "mentor_assignments ma where ma.mentor_id = $1 or ma.student_id = $1",
              "ma.assigned_at desc, ma.id desc")
          + ")::text as export";

  private final Pool pool;

  public DataExportRepository(Pool pool) {
    this.pool = pool;
  }

  /** The export of one user as JSON text; sections hold at most {@code limit} items each. */
  @DbRead
  public Uni<String> export(long userId, int limit) {
    return pool.preparedQuery(EXPORT)
        .execute(Tuple.of(userId, limit))
        .map(rows -> rows.iterator().next().getString("export"));
  }
}
