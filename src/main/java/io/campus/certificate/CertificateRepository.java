package io.campus.certificate;

import static io.campus.progress.ActivitySql.event;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.progress.ActivitySql;
import io.campus.progress.ActivityType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Certifications and issued certificates. Eligibility is evaluated by one CTE shared by the
 * eligibility check and the issue, so issuing re-checks every rule in the inserting statement and
 * no interleaving of requests can issue a certificate its holder does not qualify for, or issue it
 * twice (unique (user_id, certification_id)).
 */
@ApplicationScoped
public class CertificateRepository {

  /** A user's standing ($1) against the certification of a course ($2). */
  private static final String EVALUATION =
      """
      cert as (
        select ce.id, ce.course_id, ce.name, ce.min_progress, ce.min_assessments,
               ce.min_average_score, c.title as course_title,
               en.progress_percent as progress, asm.assessments, asm.average,
               coalesce(en.progress_percent >= ce.min_progress, false) as progress_met,
               asm.assessments >= ce.min_assessments as assessments_met,
               coalesce(asm.average, 0) >= ce.min_average_score as average_met
        from certifications ce
          join courses c on c.id = ce.course_id
          left join enrollments en on en.user_id = $1 and en.course_id = ce.course_id
                                  and en.status <> 'CANCELLED'
          cross join lateral (
            select count(*)::int as assessments, avg(a.score) as average
            from assessments a where a.student_id = $1 and a.course_id = ce.course_id) asm
        where ce.course_id = $2)
      """;

  private static final String EVALUATION_COLUMNS =
      "cert.id as certification_id, cert.course_id, cert.name, cert.course_title,"
          + " cert.min_progress, cert.min_assessments, cert.min_average_score, cert.progress,"
          + " cert.assessments, round(cert.average, 2)::float8 as average, cert.progress_met,"
          + " cert.assessments_met, cert.average_met";

  private static final String ELIGIBILITY =
      """
      with %1$s
      select %2$s, uc.id as certificate_id, uc.verification_code, uc.issued_at, uc.revoked
      from cert
        left join user_certifications uc on uc.user_id = $1 and uc.certification_id = cert.id
      """
          .formatted(EVALUATION, EVALUATION_COLUMNS);

  // The main query reads the snapshot from before the insert: a new certificate comes from ins,
  // one issued earlier from uc. Both are null only when a concurrent request won the insert.
  private static final String ISSUE =
      """
      with %1$s,
      ins as (
        insert into user_certifications (user_id, certification_id, verification_code)
        select $1, cert.id, $3 from cert
        where cert.progress_met and cert.assessments_met and cert.average_met
        on conflict (user_id, certification_id) do nothing
        returning id, verification_code, issued_at, revoked),
      ev as (
        %3$s)
      select %2$s, ins.id is not null as issued_now,
             coalesce(ins.id, uc.id) as certificate_id,
             coalesce(ins.verification_code, uc.verification_code) as verification_code,
             coalesce(ins.issued_at, uc.issued_at) as issued_at,
             coalesce(ins.revoked, uc.revoked) as revoked
      from cert
        left join ins on true
        left join user_certifications uc on uc.user_id = $1 and uc.certification_id = cert.id
      """
          .formatted(
              EVALUATION,
              EVALUATION_COLUMNS,
              ActivitySql.insert(
                  event(ActivityType.CERTIFICATE_ISSUED, "$1", "ins.id", "ins, cert")
                      .withDetail("cert.name")));

  private static final String CERTIFICATE_COLUMNS =
      "uc.id as certificate_id, uc.certification_id, ce.name, ce.course_id,"
          + " c.title as course_title, uc.verification_code, uc.issued_at, uc.revoked";

  private static final String CERTIFICATE_JOINS =
      " from user_certifications uc join certifications ce on ce.id = uc.certification_id"
          + " join courses c on c.id = ce.course_id";

  private static final String MINE =
      "select "
          + CERTIFICATE_COLUMNS
          + CERTIFICATE_JOINS
          + " where uc.user_id = $1 and not uc.revoked %s"
          + " order by uc.issued_at desc, uc.id desc limit $2";

  private static final String DEFINE =
      """
      with c as (select id, title from courses where id = $1),
      up as (
        insert into certifications (course_id, name, min_progress, min_assessments, min_average_score)
        select c.id, $2, $3, $4, $5 from c
        on conflict (course_id) do update set
          name = excluded.name, min_progress = excluded.min_progress,
          min_assessments = excluded.min_assessments, min_average_score = excluded.min_average_score
        returning id, course_id, name, min_progress, min_assessments, min_average_score,
                  xmax = 0 as created)
      select c.title as course_title, up.* from c join up on up.course_id = c.id
      """;

  private static final String REVOKE =
      """
      with upd as (
        update user_certifications set revoked = true where id = $1 and not revoked
        returning id, user_id),
      ev as (
        %1$s)
      select %2$s, uc.user_id as holder_id, upd.id is not null as revoked_now
      %3$s left join upd on true
      where uc.id = $1
      """
          .formatted(
              ActivitySql.insert(event(ActivityType.CERTIFICATE_REVOKED, "user_id", "id", "upd")),
              CERTIFICATE_COLUMNS,
              CERTIFICATE_JOINS);

  private static final String VERIFY =
      "select u.display_name, c.title as course_title, uc.issued_at, uc.revoked"
          + CERTIFICATE_JOINS
          + " join users u on u.id = uc.user_id where uc.verification_code = $1";

  /** A certification and whether the request created it (201) or replaced it (200). */
  public record Defined(CertificateDtos.CertificationView certification, boolean created) {}

  /**
   * The outcome of an issue request: the rules as evaluated, with the certificate issued now or
   * earlier (null when neither, including when a concurrent request issued it meanwhile).
   */
  record IssueResult(CertificateDtos.Eligibility evaluation, boolean issuedNow) {}

  private final Pool pool;

  public CertificateRepository(Pool pool) {
    this.pool = pool;
  }

  /** Null when the course has no certification. */
  @DbRead
  public Uni<CertificateDtos.Eligibility> eligibility(long userId, long courseId) {
    return pool.preparedQuery(ELIGIBILITY)
        .execute(Tuple.of(userId, courseId))
        .map(rows -> rows.size() == 0 ? null : evaluation(rows.iterator().next()));
  }

  /** Null when the course has no certification. */
  @DbWrite
  public Uni<IssueResult> issue(long userId, long courseId, String verificationCode) {
    return pool.preparedQuery(ISSUE)
        .execute(Tuple.of(userId, courseId, verificationCode))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new IssueResult(evaluation(row), row.getBoolean("issued_now"));
            });
  }

  /** The user's certificate for a course, revoked or not, or null. */
  @DbRead
  public Uni<CertificateDtos.CertificateView> findForCourse(long userId, long courseId) {
    return pool.preparedQuery(
            "select "
                + CERTIFICATE_COLUMNS
                + CERTIFICATE_JOINS
                + " where uc.user_id = $1 and ce.course_id = $2")
        .execute(Tuple.of(userId, courseId))
        .map(rows -> rows.size() == 0 ? null : certificate(rows.iterator().next()));
  }

  @DbRead
  public Uni<Page<CertificateDtos.CertificateView>> mine(long userId, String cursor, int limit) {
    String ordering = "certificates:" + userId;
    List<Object> params = new ArrayList<>(List.of(userId, limit + 1));
    String keyset = Cursor.newestFirst(cursor, ordering, "uc.issued_at, uc.id", params);
    return pool.preparedQuery(MINE.formatted(keyset))
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<CertificateDtos.CertificateView> list = new ArrayList<>(rows.size());
              rows.forEach(row -> list.add(certificate(row)));
              return PageSize.of(
                  list, limit, last -> Cursor.encode(ordering, last.issuedAt(), last.id()));
            });
  }

  /** Creates or replaces a course's certification; null when the course does not exist. */
  @DbWrite
  public Uni<Defined> define(long courseId, CertificateDtos.CertificationRules rules) {
    return pool.preparedQuery(DEFINE)
        .execute(
            Tuple.from(
                List.of(
                    courseId,
                    rules.name().trim(),
                    rules.minProgress() == null ? 100 : rules.minProgress(),
                    rules.minAssessments() == null ? 0 : rules.minAssessments(),
                    rules.minAverageScore() == null ? 0 : rules.minAverageScore())))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new Defined(
                  new CertificateDtos.CertificationView(
                      row.getLong("id"),
                      row.getLong("course_id"),
                      row.getString("course_title"),
                      row.getString("name"),
                      row.getInteger("min_progress"),
                      row.getInteger("min_assessments"),
                      row.getInteger("min_average_score")),
                  row.getBoolean("created"));
            });
  }

  /** A revoked certificate and its holder, whose cached views change with it. */
  public record Revoked(CertificateDtos.CertificateView certificate, long holderId) {}

  /** Marks a certificate revoked (idempotent); null when there is no such certificate. */
  @DbWrite
  public Uni<Revoked> revoke(long certificateId) {
    return pool.preparedQuery(REVOKE)
        .execute(Tuple.of(certificateId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              CertificateDtos.CertificateView before = certificate(row);
              return new Revoked(
                  new CertificateDtos.CertificateView(
                      before.id(),
                      before.certificationId(),
                      before.name(),
                      before.courseId(),
                      before.courseTitle(),
                      before.verificationCode(),
                      before.issuedAt(),
                      before.revoked() || row.getBoolean("revoked_now")),
                  row.getLong("holder_id"));
            });
  }

  /** Null for an unknown code. */
  @DbRead
  public Uni<CertificateDtos.Verification> verify(String code) {
    return pool.preparedQuery(VERIFY)
        .execute(Tuple.of(code))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              boolean revoked = row.getBoolean("revoked");
              return new CertificateDtos.Verification(
                  !revoked,
                  row.getString("display_name"),
                  row.getString("course_title"),
                  row.getOffsetDateTime("issued_at"),
                  revoked);
            });
  }

  private static CertificateDtos.Eligibility evaluation(Row row) {
    boolean progressMet = row.getBoolean("progress_met");
    boolean assessmentsMet = row.getBoolean("assessments_met");
    boolean averageMet = row.getBoolean("average_met");
    List<CertificateDtos.RuleCheck> rules =
        List.of(
            new CertificateDtos.RuleCheck(
                "COMPLETION",
                row.getInteger("min_progress"),
                row.getInteger("progress"),
                progressMet),
            new CertificateDtos.RuleCheck(
                "ASSESSMENTS",
                row.getInteger("min_assessments"),
                row.getInteger("assessments"),
                assessmentsMet),
            new CertificateDtos.RuleCheck(
                "AVERAGE_SCORE",
                row.getInteger("min_average_score"),
                row.getDouble("average"),
                averageMet));
    CertificateDtos.CertificateView certificate =
        row.getLong("certificate_id") == null
            ? null
            : new CertificateDtos.CertificateView(
                row.getLong("certificate_id"),
                row.getLong("certification_id"),
                row.getString("name"),
                row.getLong("course_id"),
                row.getString("course_title"),
                row.getString("verification_code"),
                row.getOffsetDateTime("issued_at"),
                row.getBoolean("revoked"));
    return new CertificateDtos.Eligibility(
        row.getLong("course_id"),
        row.getString("name"),
        progressMet && assessmentsMet && averageMet,
        rules,
        certificate);
  }

  private static CertificateDtos.CertificateView certificate(Row row) {
    return new CertificateDtos.CertificateView(
        row.getLong("certificate_id"),
        row.getLong("certification_id"),
        row.getString("name"),
        row.getLong("course_id"),
        row.getString("course_title"),
        row.getString("verification_code"),
        row.getOffsetDateTime("issued_at"),
        row.getBoolean("revoked"));
  }
}
