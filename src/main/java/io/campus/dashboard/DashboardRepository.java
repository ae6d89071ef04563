package io.campus.dashboard;

import io.campus.achievement.AchievementDtos;
import io.campus.achievement.RuleType;
import io.campus.activity.ActivityDtos;
import io.campus.activity.ActivityRepository;
import io.campus.certificate.CertificateDtos;
import io.campus.course.CourseLevel;
import io.campus.enrollment.EnrollmentDtos;
import io.campus.platform.common.Sql;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.Pipelined;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
      Sql.fill(
          Sql.load("dashboard/dashboard"),
          Map.of(
              "enrollments", ENROLLMENTS,
              "achievements", ACHIEVEMENTS,
              "activity", ACTIVITY,
              "certificates", CERTIFICATES,
              "subjectName", ActivityRepository.SUBJECT_NAME));

  private final SqlClient reads;

  public DashboardRepository(Pipelined pipelined) {
    this.reads = pipelined.reads();
  }

  /**
   * One statement, every section bounded by its limit. Cached, but each completion invalidates it:
   * pipelined.
   */
  @DbRead(pipelined = true)
  public Uni<DashboardDtos.Dashboard> load(long userId) {
    return reads
        .preparedQuery(DASHBOARD)
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
