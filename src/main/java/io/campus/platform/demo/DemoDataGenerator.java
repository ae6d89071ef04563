package io.campus.platform.demo;

import io.campus.auth.PasswordHasher;
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

  private static final String USERS =
      """
      insert into users (email, display_name, role, password_hash)
      select 'admin@demo.campus', 'Demo Admin', 'ADMIN', $1
      union all
      select 'mentor' || g || '@demo.campus', 'Mentor ' || g, 'MENTOR', $1
      from generate_series(1, $2) g
      union all
      select 'student' || g || '@demo.campus', 'Student ' || g, 'STUDENT', $1
      from generate_series(1, $3) g
      """;

  private static final String COURSES =
      """
      insert into courses (slug, title, description, category, level, status, instructor_id,
                           lesson_count, published_at, created_at, updated_at)
      select 'course-' || g,
             initcap(t.topic) || ' ' || (array['Fundamentals', 'in Practice', 'Deep Dive',
                                                'Essentials', 'Workshop'])[1 + g % 5] || ' ' || g,
             'Learn ' || t.topic || ' step by step: concepts, exercises and a final project about '
               || t.topic || ' for ' || lower(lv.level) || ' learners.',
             t.category, lv.level, 'PUBLISHED', m.ids[1 + g % array_length(m.ids, 1)], $2,
             now() - make_interval(hours => g), now(), now()
      from generate_series(1, $1) g
      cross join lateral (
        select (array['java', 'postgresql', 'kubernetes', 'interaction design', 'data science',
                      'application security', 'frontend', 'product management'])[1 + g % 8] as topic,
               (array['programming', 'databases', 'devops', 'design', 'data', 'security', 'web',
                      'business'])[1 + g % 8] as category) t
      cross join lateral (
        select (array['BEGINNER', 'INTERMEDIATE', 'ADVANCED'])[1 + (g / 8) % 3] as level) lv
      cross join (select array_agg(id order by id) as ids from users where role = 'MENTOR') m
      """;

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

  private static final String ENROLLMENTS =
      """
      insert into enrollments (user_id, course_id, enrolled_at, last_activity_at)
      select s.id, cs.ids[1 + (s.rn * 7 + j * 13) % array_length(cs.ids, 1)],
             now() - make_interval(days => ((s.rn + j) % 90)::int), now()
      from (select id, row_number() over (order by id) as rn from users where role = 'STUDENT') s
      cross join (select array_agg(id order by id) as ids from courses) cs
      cross join generate_series(0, $1 - 1) j
      limit $2
      on conflict (user_id, course_id) do nothing
      """;

  private static final String PROGRESS =
      """
      insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)
      select e.user_id, l.id, e.course_id, 'COMPLETED', e.enrolled_at + make_interval(hours => l.position)
      from enrollments e join lessons l on l.course_id = e.course_id
      where l.position <= (e.id * 7919) % ($1 * 2 + 1)
      limit $2
      """;

  private static final String ENROLLMENT_PROGRESS =
      """
      update enrollments e set
        completed_lessons = x.n,
        progress_percent = least(100, x.n * 100 / greatest(c.lesson_count, 1)),
        status = case when x.n >= c.lesson_count then 'COMPLETED' else 'ACTIVE' end,
        completed_at = case when x.n >= c.lesson_count then x.last end,
        last_activity_at = x.last
      from (select user_id, course_id, count(*) as n, max(completed_at) as last
            from lesson_progress group by user_id, course_id) x, courses c
      where e.user_id = x.user_id and e.course_id = x.course_id and c.id = e.course_id
      """;

  // Streaks are made up: some have ended (last active two days ago) until StreakReset runs.
  private static final String STATS =
      StatsSql.seed(
          """
      select u.id, coalesce(lp.n, 0) * $1 + coalesce(ec.done, 0) * $2, coalesce(lp.n, 0),
             coalesce(ec.done, 0), coalesce(ec.n, 0), u.id % 7, u.id % 7 + u.id % 5,
             current_date - (u.id % 3)::int
      from users u
      left join (select user_id, count(*) as n from lesson_progress group by user_id) lp
        on lp.user_id = u.id
      left join (select user_id, count(*) as n, count(*) filter (where status = 'COMPLETED') as done
                 from enrollments group by user_id) ec on ec.user_id = u.id
      where u.role = 'STUDENT'
      """);

  private static final String ACHIEVEMENTS =
      """
      insert into achievements (code, name, description, rule_type, threshold, points) values
        ('FIRST_LESSON', 'First steps', 'Complete your first lesson', 'LESSONS_COMPLETED', 1, 5),
        ('TEN_LESSONS', 'Getting serious', 'Complete 10 lessons', 'LESSONS_COMPLETED', 10, 20),
        ('HUNDRED_LESSONS', 'Centurion', 'Complete 100 lessons', 'LESSONS_COMPLETED', 100, 100),
        ('FIRST_COURSE', 'Graduate', 'Complete a course', 'COURSES_COMPLETED', 1, 50),
        ('FIVE_COURSES', 'Scholar', 'Complete 5 courses', 'COURSES_COMPLETED', 5, 150),
        ('STREAK_7', 'On a roll', 'Learn 7 days in a row', 'STREAK_DAYS', 7, 30),
        ('POINTS_1000', 'High scorer', 'Earn 1000 points', 'POINTS', 1000, 0),
        ('FIRST_ASSESSMENT', 'Assessed', 'Receive a mentor assessment', 'ASSESSMENTS_RECEIVED', 1, 10),
        ('EXPLORER', 'Explorer', 'Enroll in 3 courses', 'ENROLLMENTS', 3, 10)
      on conflict (code) do nothing
      """;

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
    int students = Math.max(1, size.users() - size.mentors() - 1);
    int perStudent = Math.max(1, (size.enrollments() + students - 1) / students);
    int perEnrollment = Math.max(1, size.lessonProgress() / Math.max(1, size.enrollments()));
    return hasher
        .hash(PASSWORD)
        .chain(
            hash ->
                pool.withTransaction(
                    conn ->
                        // Bulk loading is the one place where statements may run for long.
                        run(conn, "set local statement_timeout = 0", Tuple.tuple())
                            .chain(() -> run(conn, USERS, Tuple.of(hash, size.mentors(), students)))
                            .chain(
                                () ->
                                    run(
                                        conn,
                                        COURSES,
                                        Tuple.of(size.courses(), size.lessonsPerCourse())))
                            .chain(() -> run(conn, LESSONS, Tuple.of(size.lessonsPerCourse())))
                            .chain(() -> run(conn, MENTOR_ASSIGNMENTS, Tuple.tuple()))
                            .chain(
                                () ->
                                    run(
                                        conn,
                                        ENROLLMENTS,
                                        Tuple.of(perStudent, size.enrollments())))
                            .chain(
                                () ->
                                    run(
                                        conn,
                                        PROGRESS,
                                        Tuple.of(perEnrollment, size.lessonProgress())))
                            .chain(() -> run(conn, ENROLLMENT_PROGRESS, Tuple.tuple()))
                            .chain(
                                () ->
                                    run(
                                        conn,
                                        STATS,
                                        Tuple.of(
                                            points.pointsPerLesson(), points.pointsPerCourse())))
                            .chain(() -> run(conn, ACHIEVEMENTS, Tuple.tuple()))
                            .chain(() -> run(conn, CERTIFICATIONS, Tuple.tuple()))
                            .chain(() -> run(conn, ACTIVITY, Tuple.tuple()))))
        // Fresh planner statistics, or the first queries plan for empty tables.
        .chain(() -> pool.query("analyze").execute())
        .invoke(
            () ->
                LOG.infof(
                    "Demo data generated in %d ms: %s",
                    (System.nanoTime() - started) / 1_000_000, size))
        .replaceWithVoid();
  }

  private static Uni<Void> run(SqlConnection conn, String sql, Tuple params) {
    return conn.preparedQuery(sql).execute(params).replaceWithVoid();
  }
}
