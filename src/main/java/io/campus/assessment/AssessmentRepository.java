package io.campus.assessment;

import static io.campus.platform.common.Where.Key.DAY;
import static io.campus.platform.common.Where.Key.LONG;
import static io.campus.progress.ActivitySql.event;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Assessment SQL. A submission costs two statements whatever its size: one reads everything the
 * rules need (students, assignments, courses, the idempotency key), one writes everything
 * (assessments, stats, achievements, activity, the idempotency record) from arrays, holding the
 * same rules on the rows it locks as it writes. Only a submission whose rules stopped holding in
 * between reads them a second time.
 */
@ApplicationScoped
public class AssessmentRepository {

  /** The idempotency primary key: a concurrent request with the same key committed first. */
  static final String KEY_CONSTRAINT = "idempotency_keys_pkey";

  private static final String CHECK = Sql.load("assessment/check");

  private static final String INSERT =
      Sql.fill(
          Sql.load("assessment/insert"),
          Map.of(
              "stats",
              StatsSql.assessed("student_id", "ins"),
              "awards",
              AwardSql.awardCtes("st"),
              "events",
              ActivitySql.insert(
                  event(ActivityType.ASSESSED, "student_id", "id", "ins").withDetail("skill"))));

  // idempotency_keys_pkey
  private static final String FIND_KEY =
      """
      select request_hash, status, response from idempotency_keys
      where user_id = $1 and key = $2 and expires_at > now()
      """;

  private static final String OF_STUDENT = Sql.load("assessment/of-student");

  private static final String OF_MENTOR = Sql.load("assessment/of-mentor");

  private final Pool pool;
  private final SqlClient reads;
  private final SqlClient writes;

  public AssessmentRepository(Pool pool, Pipelined pipelined) {
    this.pool = pool;
    this.reads = pipelined.reads();
    this.writes = pipelined.writes();
  }

  /**
   * An idempotency record: the hash of the request that made it, its status and what it stored
   * (read by {@link AssessmentMapper#replay}).
   */
  public record StoredKey(byte[] requestHash, int status, String response) {}

  /** Validated, normalised items as parallel arrays, ready for {@code unnest}. */
  public record Columns(
      Long[] studentIds,
      Long[] courseIds,
      String[] skills,
      Integer[] scores,
      String[] feedback,
      LocalDate[] assessedOn) {}

  /**
   * Students, courses, enrollments of the given pairs and the idempotency key, in one statement.
   * {@code pairStudents[i]} and {@code pairCourses[i]} form one (student, course) pair.
   */
  @DbRead(pipelined = true)
  public Uni<Checked> check(
      long callerId,
      Long[] studentIds,
      Long[] courseIds,
      Long[] pairStudents,
      Long[] pairCourses,
      String key) {
    return reads
        .preparedQuery(CHECK)
        .execute(
            Tuple.from(
                Arrays.asList(callerId, studentIds, courseIds, key, pairStudents, pairCourses)))
        .map(Checked::of);
  }

  /**
   * Writes a checked submission, unless one of its rules no longer holds as the rows are when it is
   * written ({@link AssessmentMapper.Written#refused}): then it writes nothing. {@code admin}: the
   * caller is an admin, who assesses any student.
   */
  @DbWrite(pipelined = true)
  public Uni<AssessmentMapper.Written> insert(
      long callerId,
      boolean admin,
      Columns columns,
      boolean single,
      String key,
      byte[] requestHash,
      long keyTtlSeconds) {
    return writes
        .preparedQuery(INSERT)
        .execute(
            Tuple.from(
                Arrays.asList(
                    callerId,
                    columns.studentIds(),
                    columns.courseIds(),
                    columns.skills(),
                    columns.scores(),
                    columns.feedback(),
                    columns.assessedOn(),
                    single,
                    key,
                    requestHash == null ? null : Buffer.buffer(requestHash),
                    keyTtlSeconds,
                    admin)))
        .map(AssessmentMapper::written);
  }

  /** The live record of an idempotency key, or null. */
  @DbRead(pipelined = true)
  public Uni<StoredKey> findKey(long callerId, String key) {
    return reads
        .preparedQuery(FIND_KEY)
        .execute(Tuple.of(callerId, key))
        .map(rows -> rows.size() == 0 ? null : storedKey(rows.iterator().next()));
  }

  /** True for the failure of an insert that lost the race for its idempotency key. */
  public static boolean isKeyRace(Throwable failure) {
    return failure instanceof PgException pg
        && "23505".equals(pg.getSqlState())
        && KEY_CONSTRAINT.equals(pg.getConstraint());
  }

  /**
   * One page of a student's assessments, newest first. {@code trusted} is true when the viewer is
   * the student or an admin; otherwise the viewer must be an active mentor of the student, checked
   * in the same statement, who is told an assessment's course only where they may open it.
   */
  @DbRead
  public Uni<Page<AssessmentDtos.AssessmentView>> ofStudent(
      long studentId, boolean trusted, long viewerId, String cursor, int limit) {
    String ordering = "student-assessments:" + studentId;
    Where where = keyset(Where.with(studentId, trusted, viewerId, limit + 1), cursor, ordering);
    return pool.preparedQuery(Sql.fill(OF_STUDENT, "keyset", where.sql()))
        .execute(where.tuple())
        .map(rows -> page(rows, ordering, limit, "You may not see this student's assessments."));
  }

  /** One page of the assessments a mentor recorded, newest first. */
  @DbRead
  public Uni<Page<AssessmentDtos.AssessmentView>> ofMentor(
      long mentorId, String cursor, int limit) {
    String ordering = "mentor-assessments:" + mentorId;
    Where where = keyset(Where.with(mentorId, limit + 1), cursor, ordering);
    return pool.preparedQuery(Sql.fill(OF_MENTOR, "keyset", where.sql()))
        .execute(where.tuple())
        .map(rows -> page(rows, ordering, limit, "You may not see this mentor's assessments."));
  }

  /** Newest first by day (the cursor holds the epoch day), then id. */
  private static Where keyset(Where where, String cursor, String ordering) {
    return where.keyset(cursor, ordering, "a.assessed_on, a.id", Where.Order.DESC, DAY, LONG);
  }

  private static Page<AssessmentDtos.AssessmentView> page(
      RowSet<Row> rows, String ordering, int limit, String forbidden) {
    List<AssessmentDtos.AssessmentView> list = new ArrayList<>(rows.size());
    for (Row row : rows) {
      if (!row.getBoolean("ok")) {
        throw ProblemException.forbidden(forbidden);
      }
      if (!row.getBoolean("found")) {
        throw ProblemException.notFound("No user with this id.");
      }
      if (row.getLong("id") != null) {
        list.add(AssessmentMapper.view(row));
      }
    }
    return PageSize.of(
        list, limit, last -> Cursor.encode(ordering, last.assessedOn().toEpochDay(), last.id()));
  }

  static StoredKey storedKey(Row row) {
    return new StoredKey(
        row.getBuffer("request_hash").getBytes(),
        row.getInteger("status"),
        row.getString("response"));
  }
}
