package io.campus.testsupport;

import io.campus.user.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixtures written straight to the database, so a test sets up its world in a few statements and
 * only the calls under test go through the API. Every name is unique, so tests never collide.
 */
@ApplicationScoped
public class TestData {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Pool pool;

  public TestData(Pool pool) {
    this.pool = pool;
  }

  /** A user with a live session. */
  public record Account(long id, String email, Role role, String token) {}

  /** A published course and its lesson ids in order. */
  public record CourseFixture(long id, String slug, List<Long> lessonIds) {}

  /**
   * One-lesson courses in each state a mentor's view of a student tells apart: another instructor's
   * published, draft and archived course, and the mentor's own draft.
   */
  public record CourseStates(long published, long draft, long archived, long ownDraft) {
    public List<Long> all() {
      return List.of(published, draft, archived, ownDraft);
    }
  }

  public static String unique(String prefix) {
    return prefix
        + "-"
        + SEQUENCE.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  public Account account(Role role) {
    return account(role, java.time.Duration.ofHours(1));
  }

  public Account account(Role role, java.time.Duration sessionTtl) {
    String email = unique(role.name().toLowerCase()) + "@test.campus";
    long id =
        single(
                "insert into users (email, display_name, role, password_hash)"
                    + " values ($1, $2, $3, 'not-a-login-account') returning id",
                Tuple.of(email, "Test " + role, role.name()))
            .getLong("id");
    String token = UUID.randomUUID().toString() + UUID.randomUUID();
    execute(
        "insert into sessions (token_hash, user_id, expires_at)"
            + " values ($1, $2, now() + make_interval(secs => $3))",
        Tuple.of(Buffer.buffer(sha256(token)), id, sessionTtl.toMillis() / 1000.0));
    return new Account(id, email, role, token);
  }

  /** A new session of the same user (after a role change ended the old ones), as its role now. */
  public Account newSession(Account account, Role role) {
    String token = UUID.randomUUID().toString() + UUID.randomUUID();
    // of the user's session epoch, as a login opens it
    execute(
        "insert into sessions (token_hash, user_id, expires_at, epoch)"
            + " select $1, id, now() + interval '1 hour', session_epoch from users where id = $2",
        Tuple.of(Buffer.buffer(sha256(token)), account.id()));
    return new Account(account.id(), account.email(), role, token);
  }

  public CourseStates courseStates(long instructorId, long mentorId) {
    return new CourseStates(
        publishedCourse(instructorId, 1).id(),
        course(instructorId, 1, "DRAFT", "x", "BEGINNER", "Unpublished").id(),
        course(instructorId, 1, "ARCHIVED", "x", "BEGINNER", "Retired").id(),
        course(mentorId, 1, "DRAFT", "x", "BEGINNER", "Mentor's draft").id());
  }

  public CourseFixture publishedCourse(long instructorId, int lessons) {
    return course(instructorId, lessons, "PUBLISHED", "testing", "BEGINNER", "Test course");
  }

  public CourseFixture course(
      long instructorId, int lessons, String status, String category, String level, String title) {
    String slug = unique("course").toLowerCase();
    long id =
        single(
                "insert into courses (slug, title, description, category, level, status,"
                    + " instructor_id, lesson_count, published_at)"
                    + " values ($1, $2, 'A course made by a test', $3, $4, $5, $6, $7,"
                    + " case when $5 = 'PUBLISHED' then clock_timestamp() end) returning id",
                Tuple.from(List.of(slug, title, category, level, status, instructorId, lessons)))
            .getLong("id");
    List<Long> lessonIds = new ArrayList<>();
    if (lessons > 0) {
      pool.preparedQuery(
              "insert into lessons (course_id, position, title)"
                  + " select $1, p, 'Lesson ' || p from generate_series(1, $2) p"
                  + " order by p returning id")
          .execute(Tuple.of(id, lessons))
          .await()
          .indefinitely()
          .forEach(row -> lessonIds.add(row.getLong("id")));
    }
    return new CourseFixture(id, slug, lessonIds);
  }

  public void enroll(long userId, long courseId) {
    execute(
        "insert into enrollments (user_id, course_id) values ($1, $2)", Tuple.of(userId, courseId));
  }

  public void assign(long mentorId, long studentId) {
    execute(
        "insert into mentor_assignments (mentor_id, student_id) values ($1, $2)",
        Tuple.of(mentorId, studentId));
  }

  /** The user's account deleted as AccountDeletionService leaves it: anonymized, rows kept. */
  public void deleted(long userId) {
    execute(
        "update users set email = 'deleted-' || id || '@invalid', display_name = 'Deleted user',"
            + " password_hash = '!deleted!', deleted_at = now(),"
            + " session_epoch = session_epoch + 1 where id = $1",
        Tuple.of(userId));
  }

  /** A transaction of another client on its own connection; close it when done. */
  public OtherTransaction otherTransaction() {
    return new OtherTransaction(pool, this);
  }

  public long count(String sql, Object... params) {
    return single(sql, Tuple.from(List.of(params))).getLong(0);
  }

  public Row single(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params).await().indefinitely().iterator().next();
  }

  public void execute(String sql, Tuple params) {
    pool.preparedQuery(sql).execute(params).await().indefinitely();
  }

  /**
   * Runs DDL and the like as the owner of the test database's tables (requests run as the
   * application role, which may not alter them).
   */
  public static void asOwner(String sql) {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(
                System.getProperty(CampusTestResources.JDBC_URL_PROPERTY), "postgres", null);
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
