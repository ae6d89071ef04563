package io.campus.platform.demo;

import io.campus.auth.PasswordHasher;
import io.campus.platform.common.Sql;
import io.campus.progress.ActivitySql;
import io.campus.progress.ActivityType;
import io.campus.progress.ProgressConfig;
import io.campus.progress.StatsSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Fills an empty database with a realistic data set for demos and benchmarks. Every table is filled
 * by one set-based statement inside one transaction, so a million progress rows take seconds. All
 * demo accounts share the password {@value #PASSWORD}.
 */
@ApplicationScoped
public class DemoDataGenerator {

  public static final String PASSWORD = "campus-demo-password";
  private static final Logger LOG = Logger.getLogger(DemoDataGenerator.class);

  private static final String USERS = Sql.load("demo/users");

  private static final String COURSES = Sql.load("demo/courses");

  private static final String LESSONS =
      """
      insert into lessons (course_id, position, title, content, duration_minutes)
      select c.id, p, 'Lesson ' || p || ' of ' || c.title,
             'Reading, a worked example and exercises for part ' || p || '.', 5 + (p * 7) % 40
      from courses c cross join generate_series(1, $1) p
      """;

  private static final String MENTOR_ASSIGNMENTS =
      """
      insert into mentor_assignments (mentor_id, student_id)
      select m.ids[1 + s.rn % array_length(m.ids, 1)], s.id
      from (select id, row_number() over (order by id) as rn from users where role = 'STUDENT') s
      cross join (select array_agg(id order by id) as ids from users where role = 'MENTOR') m
      """;

  private static final String ENROLLMENTS = Sql.load("demo/enrollments");

  private static final String PROGRESS =
      """
      insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)
      select e.user_id, l.id, e.course_id, 'COMPLETED', e.enrolled_at + make_interval(hours => l.position)
      from enrollments e join lessons l on l.course_id = e.course_id
      where l.position <= (e.id * 7919) % ($1 * 2 + 1)
      limit $2
      """;

  private static final String ENROLLMENT_PROGRESS = Sql.load("demo/enrollment-progress");

  private static final String STATS = StatsSql.seed(Sql.load("demo/stats-rows"));

  private static final String ACHIEVEMENTS = Sql.load("demo/achievements");

  private static final String CERTIFICATIONS =
      """
      insert into certifications (course_id, name, min_progress, min_assessments, min_average_score)
      select id, title || ' certificate', 100, 0, 0 from courses
      on conflict (course_id) do nothing
      """;

  private static final String ACTIVITY =
      ActivitySql.insert(
          ActivitySql.event(ActivityType.ENROLLED, "user_id", "course_id", "enrollments")
              .at("enrolled_at"));

  /** Sizes of a generated data set. */
  public record Size(
      int users,
      int mentors,
      int courses,
      int lessonsPerCourse,
      int enrollments,
      int lessonProgress) {
    public static Size of(DemoConfig demo) {
      return new Size(
          demo.users(),
          demo.mentors(),
          demo.courses(),
          demo.lessonsPerCourse(),
          demo.enrollments(),
          demo.lessonProgress());
    }
  }

  private final Pool pool;
  private final PasswordHasher hasher;
  private final ProgressConfig points;

  public DemoDataGenerator(Pool pool, PasswordHasher hasher, ProgressConfig points) {
    this.pool = pool;
    this.hasher = hasher;
    this.points = points;
  }

  /** Generates the data set unless courses exist already; returns whether it generated. */
  public Uni<Boolean> generateIfEmpty(Size size) {
    return pool.query("select exists (select 1 from courses) as present")
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("present"))
        .chain(
            present -> present ? Uni.createFrom().item(false) : generate(size).replaceWith(true));
  }

  public Uni<Void> generate(Size size) {
    long started = System.nanoTime();
    return hasher
        .hash(PASSWORD)
        .chain(hash -> pool.withTransaction(conn -> load(conn, size, hash)))
        // Fresh planner statistics, or the first queries plan for empty tables.
        .chain(() -> pool.query("analyze").execute())
        .invoke(
            () ->
                LOG.infof(
                    "Demo data generated in %d ms: %s",
                    (System.nanoTime() - started) / 1_000_000, size))
        .replaceWithVoid();
  }

  /** Every statement of the data set, in order, in one transaction. */
  private Uni<Void> load(SqlConnection conn, Size size, String hash) {
    int students = Math.max(1, size.users() - size.mentors() - 1);
    int perStudent = Math.max(1, (size.enrollments() + students - 1) / students);
    int perEnrollment = Math.max(1, size.lessonProgress() / Math.max(1, size.enrollments()));
    // Bulk loading is the one place where statements may run for long.
    return run(conn, "set local statement_timeout = 0", Tuple.tuple())
        .chain(() -> run(conn, USERS, Tuple.of(hash, size.mentors(), students)))
        .chain(() -> run(conn, COURSES, Tuple.of(size.courses(), size.lessonsPerCourse())))
        .chain(() -> run(conn, LESSONS, Tuple.of(size.lessonsPerCourse())))
        .chain(() -> run(conn, MENTOR_ASSIGNMENTS, Tuple.tuple()))
        .chain(() -> run(conn, ENROLLMENTS, Tuple.of(perStudent, size.enrollments())))
        .chain(() -> run(conn, PROGRESS, Tuple.of(perEnrollment, size.lessonProgress())))
        .chain(() -> run(conn, ENROLLMENT_PROGRESS, Tuple.tuple()))
        .chain(() -> run(conn, STATS, Tuple.of(points.pointsPerLesson(), points.pointsPerCourse())))
        .chain(() -> run(conn, ACHIEVEMENTS, Tuple.tuple()))
        .chain(() -> run(conn, CERTIFICATIONS, Tuple.tuple()))
        .chain(() -> run(conn, ACTIVITY, Tuple.tuple()));
  }

  private static Uni<Void> run(SqlConnection conn, String sql, Tuple params) {
    return conn.preparedQuery(sql).execute(params).replaceWithVoid();
  }
}
