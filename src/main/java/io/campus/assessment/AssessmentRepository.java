package io.campus.assessment;

import static io.campus.progress.ActivitySql.event;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Assessment SQL. A submission costs two statements whatever its size: one reads everything the
 * rules need (students, assignments, courses, the idempotency key), one writes everything
 * (assessments, stats, achievements, activity, the idempotency record) from arrays.
 */
@ApplicationScoped
public class AssessmentRepository {

  /** The idempotency primary key: a concurrent request with the same key committed first. */
  static final String KEY_CONSTRAINT = "idempotency_keys_pkey";

  // An expired key is dropped here so that the insert can take the key over; a live one is read.
  // Besides the students and courses, the rows say which (student, course) pairs of the items are
  // live enrollments ($5, $6: one pair per item naming a course), all in this one statement.
  private static final String CHECK =
      """
      with expired as (
        delete from idempotency_keys
        where $4::text is not null and user_id = $1 and key = $4 and expires_at <= now()),
      k as (
        select request_hash, status, response from idempotency_keys
        where $4::text is not null and user_id = $1 and key = $4 and expires_at > now())
      select 'S' as kind, u.id, u.role,
             exists (select 1 from mentor_assignments m
                     where m.mentor_id = $1 and m.student_id = u.id and m.active) as assigned,
             null::bigint as course_id,
             null::bytea as request_hash, null::int as status, null::text as response
      from users u where u.id = any($2::bigint[])
      union all
      select 'C', c.id, c.status, c.instructor_id = $1, null, null, null, null
      from courses c where c.id = any($3::bigint[])
      union all
      select 'E', p.student_id, null, null, p.course_id, null, null, null
      from unnest($5::bigint[], $6::bigint[]) as p(student_id, course_id)
      where exists (select 1 from enrollments e
                    where e.user_id = p.student_id and e.course_id = p.course_id
                      and e.status <> 'CANCELLED')
      union all
      select 'K', null, null, null, null, k.request_hash, k.status, k.response from k
      """;

  // Rows are inserted in natural-key order so that overlapping concurrent submissions lock in the
  // same order. The statement returns the created rows in request order (or one row of counts
  // only); the idempotency record stores the same rows and counts as neutral JSON (created_at as
  // epoch microseconds) for AssessmentMapper to answer a replay exactly as the first time. The
  // key insert has no ON CONFLICT: a concurrent request that took the key first makes this whole
  // statement fail and write nothing.
  private static final String INSERT =
      """
      with input as (
        select * from unnest($2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::date[])
          with ordinality as t(student_id, course_id, skill, score, feedback, assessed_on, idx)),
      ins as (
        insert into assessments (student_id, mentor_id, course_id, skill, score, feedback, assessed_on)
        select student_id, $1, course_id, skill, score, feedback, assessed_on from input
        order by student_id, course_id, skill, assessed_on
        on conflict do nothing
        returning id, student_id, course_id, skill, score, feedback, assessed_on, created_at),
      st as (
        %1$s),
      ev as (
        %3$s),
      %2$s,
      saved as (
        select ins.id, $1::bigint as mentor_id, ins.student_id, ins.course_id, ins.skill,
               ins.score, ins.feedback, ins.assessed_on, ins.created_at,
               (extract(epoch from ins.created_at) * 1000000)::bigint as created_at_us, i.idx
        from ins join input i
          on i.student_id = ins.student_id and i.skill = ins.skill
         and i.assessed_on = ins.assessed_on and i.course_id is not distinct from ins.course_id),
      outcome as (
        select count(*)::int as created, cardinality($2::bigint[]) - count(*)::int as skipped,
               case when $8 and count(*) = 0 then 409 else 201 end as status
        from ins),
      kept as (
        insert into idempotency_keys (user_id, key, request_hash, status, response, expires_at)
        select $1, $9, $10, o.status,
               (select to_jsonb(r)::text from (
                  select o.created, o.skipped,
                         coalesce(jsonb_agg(to_jsonb(c) - 'created_at' - 'idx' order by c.idx),
                                  '[]'::jsonb) as rows
                  from saved c) r),
               now() + $11::bigint * interval '1 second'
        from outcome o where $9::text is not null)
      select o.created, o.skipped, o.status, c.*
      from outcome o left join saved c on true
      order by c.idx
      """
          .formatted(
              StatsSql.assessed("student_id", "ins"),
              AwardSql.awardCtes("st"),
              ActivitySql.insert(
                  event(ActivityType.ASSESSED, "student_id", "id", "ins").withDetail("skill")));

  private static final String FIND_KEY =
      "select request_hash, status, response from idempotency_keys"
          + " where user_id = $1 and key = $2 and expires_at > now()";

  private static final String COLUMNS =
      "a.id, a.student_id, a.mentor_id, a.course_id, a.skill, a.score, a.feedback,"
          + " a.assessed_on, a.created_at";

  private static final String OF_STUDENT =
      """
      with access as (
        select ($2::boolean or exists (select 1 from mentor_assignments m
                                       where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok,
               exists (select 1 from users where id = $1) as found)
      select access.ok, access.found, x.* from access left join lateral (
        select %s
        from assessments a
        where access.ok and a.student_id = $1 %%s
        order by a.assessed_on desc, a.id desc
        limit $4) x on true
      """
          .formatted(COLUMNS);

  private static final String OF_MENTOR =
      """
      with target as (select exists (select 1 from users where id = $1) as found)
      select true as ok, target.found, x.* from target left join lateral (
        select %s
        from assessments a
        where target.found and a.mentor_id = $1 %%s
        order by a.assessed_on desc, a.id desc
        limit $2) x on true
      """
          .formatted(COLUMNS);

  private final Pool pool;

  public AssessmentRepository(Pool pool) {
    this.pool = pool;
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
  @DbRead
  public Uni<Checked> check(
      long callerId,
      Long[] studentIds,
      Long[] courseIds,
      Long[] pairStudents,
      Long[] pairCourses,
      String key) {
    return pool.preparedQuery(CHECK)
        .execute(
            Tuple.from(
                Arrays.asList(callerId, studentIds, courseIds, key, pairStudents, pairCourses)))
        .map(Checked::of);
  }

  @DbWrite
  public Uni<AssessmentMapper.Written> insert(
      long callerId,
      Columns columns,
      boolean single,
      String key,
      byte[] requestHash,
      long keyTtlSeconds) {
    return pool.preparedQuery(INSERT)
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
                    keyTtlSeconds)))
        .map(AssessmentMapper::written);
  }

  /** The live record of an idempotency key, or null. */
  @DbRead
  public Uni<StoredKey> findKey(long callerId, String key) {
    return pool.preparedQuery(FIND_KEY)
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
   * in the same statement.
   */
  @DbRead
  public Uni<Page<AssessmentDtos.AssessmentView>> ofStudent(
      long studentId, boolean trusted, long viewerId, String cursor, int limit) {
    String ordering = "student-assessments:" + studentId;
    List<Object> params = new ArrayList<>(List.of(studentId, trusted, viewerId, limit + 1));
    String keyset = keyset(cursor, ordering, params);
    return pool.preparedQuery(OF_STUDENT.formatted(keyset))
        .execute(Tuple.from(params))
        .map(rows -> page(rows, ordering, limit, "You may not see this student's assessments."));
  }

  /** One page of the assessments a mentor recorded, newest first. */
  @DbRead
  public Uni<Page<AssessmentDtos.AssessmentView>> ofMentor(
      long mentorId, String cursor, int limit) {
    String ordering = "mentor-assessments:" + mentorId;
    List<Object> params = new ArrayList<>(List.of(mentorId, limit + 1));
    String keyset = keyset(cursor, ordering, params);
    return pool.preparedQuery(OF_MENTOR.formatted(keyset))
        .execute(Tuple.from(params))
        .map(rows -> page(rows, ordering, limit, "You may not see this mentor's assessments."));
  }

  /** Appends the cursor's keys to {@code params} and returns the matching condition. */
  private static String keyset(String cursor, String ordering, List<Object> params) {
    List<String> keys = Cursor.decode(cursor, ordering, 2);
    if (keys == null) {
      return "";
    }
    LocalDate day;
    try {
      day = LocalDate.ofEpochDay(Cursor.longKey(keys.get(0)));
    } catch (DateTimeException e) {
      throw ProblemException.invalidField(
          "cursor", "is not a cursor returned by this listing; start again without it");
    }
    params.add(day);
    params.add(Cursor.longKey(keys.get(1)));
    int n = params.size();
    return "and (a.assessed_on, a.id) < ($%d, $%d)".formatted(n - 1, n);
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
