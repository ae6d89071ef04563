package io.campus.dashboard;

import io.campus.achievement.AchievementDtos;
import io.campus.achievement.RuleType;
import io.campus.activity.ActivityDtos;
import io.campus.activity.ActivityRepository;
import io.campus.certificate.CertificateDtos;
import io.campus.course.CourseLevel;
import io.campus.enrollment.EnrollmentDtos;
import io.campus.ops.DbRead;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The whole dashboard in one statement: each section is a scalar subquery aggregating its few
 * newest rows to JSON, each served by the user's index on that table.
 */
@ApplicationScoped
public class DashboardRepository {

  static final int ENROLLMENTS = 10;
  static final int ACHIEVEMENTS = 5;
  static final int ACTIVITY = 10;
  static final int CERTIFICATES = 10;

  private static final String DASHBOARD =
      """
      select
        (select coalesce(json_agg(x order by x.enrolled_at desc, x.id desc), '[]'::json) from (
           select e.id, e.status, e.progress_percent, e.completed_lessons, e.enrolled_at,
                  e.last_activity_at, e.completed_at, c.id as course_id, c.slug, c.title,
                  c.category, c.level, c.lesson_count, u.display_name as instructor_name
           from enrollments e
             join courses c on c.id = e.course_id
             join users u on u.id = c.instructor_id
           where e.user_id = $1
           order by e.enrolled_at desc, e.id desc
           limit %1$d) x) as enrollments,
        (select row_to_json(s) from (
           select points, lessons_completed, courses_completed, enrollments, assessments_received,
                  current_streak, longest_streak, last_active_on
           from user_stats where user_id = $1) s) as stats,
        (select coalesce(json_agg(x order by x.awarded_at desc, x.id desc), '[]'::json) from (
           select a.id, a.code, a.name, a.description, a.rule_type, a.points, ua.awarded_at
           from user_achievements ua join achievements a on a.id = ua.achievement_id
           where ua.user_id = $1
           order by ua.awarded_at desc, ua.achievement_id desc
           limit %2$d) x) as achievements,
        (select coalesce(json_agg(x order by x.created_at desc, x.id desc), '[]'::json) from (
           select e.id, e.type, e.subject_type, e.subject_id, %5$s as subject_name, e.detail,
                  e.created_at
           from activity_events e
           where e.user_id = $1
           order by e.created_at desc, e.id desc
           limit %3$d) x) as activity,
        (select coalesce(json_agg(x order by x.issued_at desc, x.id desc), '[]'::json) from (
           select uc.id, uc.certification_id, ce.name, ce.course_id, c.title as course_title,
                  uc.verification_code, uc.issued_at, uc.revoked
           from user_certifications uc
             join certifications ce on ce.id = uc.certification_id
             join courses c on c.id = ce.course_id
           where uc.user_id = $1 and not uc.revoked
           order by uc.issued_at desc, uc.id desc
           limit %4$d) x) as certificates
      """
          .formatted(
              ENROLLMENTS,
              ACHIEVEMENTS,
              ACTIVITY,
              CERTIFICATES,
              ActivityRepository.subjectName("e"));

  private final Pool pool;

  public DashboardRepository(Pool pool) {
    this.pool = pool;
  }

  @DbRead
  public Uni<DashboardDtos.Dashboard> load(long userId) {
    return pool.preparedQuery(DASHBOARD)
        .execute(Tuple.of(userId))
        .map(rows -> dashboard(rows.iterator().next()));
  }

  private static DashboardDtos.Dashboard dashboard(Row row) {
    Object rawStats = row.getValue("stats");
    JsonObject stats =
        rawStats == null
            ? null
            : rawStats instanceof JsonObject o ? o : new JsonObject(String.valueOf(rawStats));
    return new DashboardDtos.Dashboard(
        list(row, "enrollments", DashboardRepository::enrollment),
        stats == null ? DashboardDtos.Stats.NONE : stats(stats),
        list(row, "achievements", DashboardRepository::achievement),
        list(row, "activity", DashboardRepository::activity),
        list(row, "certificates", DashboardRepository::certificate));
  }

  private static <T> List<T> list(Row row, String column, Function<JsonObject, T> mapper) {
    Object raw = row.getValue(column);
    JsonArray array = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
    List<T> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      list.add(mapper.apply(array.getJsonObject(i)));
    }
    return list;
  }

  private static EnrollmentDtos.EnrollmentView enrollment(JsonObject e) {
    return new EnrollmentDtos.EnrollmentView(
        e.getLong("id"),
        new EnrollmentDtos.CourseRef(
            e.getLong("course_id"),
            e.getString("slug"),
            e.getString("title"),
            e.getString("category"),
            CourseLevel.valueOf(e.getString("level")),
            e.getInteger("lesson_count"),
            e.getString("instructor_name")),
        e.getString("status"),
        e.getInteger("progress_percent"),
        e.getInteger("completed_lessons"),
        time(e, "enrolled_at"),
        time(e, "last_activity_at"),
        time(e, "completed_at"));
  }

  private static DashboardDtos.Stats stats(JsonObject s) {
    String lastActive = s.getString("last_active_on");
    return new DashboardDtos.Stats(
        s.getInteger("points"),
        s.getInteger("lessons_completed"),
        s.getInteger("courses_completed"),
        s.getInteger("enrollments"),
        s.getInteger("assessments_received"),
        s.getInteger("current_streak"),
        s.getInteger("longest_streak"),
        lastActive == null ? null : LocalDate.parse(lastActive));
  }

  private static AchievementDtos.AwardedAchievement achievement(JsonObject a) {
    return new AchievementDtos.AwardedAchievement(
        a.getLong("id"),
        a.getString("code"),
        a.getString("name"),
        a.getString("description"),
        RuleType.valueOf(a.getString("rule_type")),
        a.getInteger("points"),
        time(a, "awarded_at"));
  }

  private static ActivityDtos.ActivityView activity(JsonObject e) {
    return new ActivityDtos.ActivityView(
        e.getLong("id"),
        e.getString("type"),
        e.getString("subject_type"),
        e.getLong("subject_id"),
        e.getString("subject_name"),
        e.getString("detail"),
        time(e, "created_at"));
  }

  private static CertificateDtos.CertificateView certificate(JsonObject c) {
    return new CertificateDtos.CertificateView(
        c.getLong("id"),
        c.getLong("certification_id"),
        c.getString("name"),
        c.getLong("course_id"),
        c.getString("course_title"),
        c.getString("verification_code"),
        time(c, "issued_at"),
        c.getBoolean("revoked"));
  }

  private static OffsetDateTime time(JsonObject o, String field) {
    String value = o.getString(field);
    return value == null ? null : OffsetDateTime.parse(value);
  }
}
