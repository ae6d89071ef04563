package io.campus.certificate;

import static io.campus.platform.common.Where.Key.LONG;
import static io.campus.platform.common.Where.Key.TIME;
import static io.campus.progress.ActivitySql.event;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.platform.ops.Pipelined;
import io.campus.progress.ActivitySql;
import io.campus.progress.ActivityType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Certifications and issued certificates. Eligibility is evaluated by one CTE shared by the
 * eligibility check and the issue, so issuing re-checks every rule in the inserting statement and
 * no interleaving of requests can issue a certificate its holder does not qualify for, or issue it
 * twice (unique (user_id, certification_id)).
 */
@ApplicationScoped
public class CertificateRepository {

  private static final String EVALUATION = Sql.load("certificate/evaluation");

  private static final String ELIGIBILITY =
      Sql.fill(Sql.load("certificate/eligibility"), "evaluation", EVALUATION);

  private static final String ISSUE =
      Sql.fill(
          Sql.load("certificate/issue"),
          Map.of(
              "evaluation",
              EVALUATION,
              "events",
              ActivitySql.insert(
                  event(ActivityType.CERTIFICATE_ISSUED, "$1", "ins.id", "ins, cert")
                      .withDetail("cert.name"))));

  private static final String FOR_COURSE =
      """
      select uc.id as certificate_id, uc.certification_id, ce.name, ce.course_id,
             c.title as course_title, uc.verification_code, uc.issued_at, uc.revoked
      from user_certifications uc join certifications ce on ce.id = uc.certification_id
        join courses c on c.id = ce.course_id
      where uc.user_id = $1 and ce.course_id = $2
      """;

  // user_certifications_user_idx; the keyset condition of the cursor fills the slot.
  private static final String MINE =
      """
      select uc.id as certificate_id, uc.certification_id, ce.name, ce.course_id,
             c.title as course_title, uc.verification_code, uc.issued_at, uc.revoked
      from user_certifications uc join certifications ce on ce.id = uc.certification_id
        join courses c on c.id = ce.course_id
      where uc.user_id = $1 and not uc.revoked /*{keyset}*/
      order by uc.issued_at desc, uc.id desc limit $2
      """;

  private static final String DEFINE = Sql.load("certificate/define");

  private static final String REVOKE =
      Sql.fill(
          Sql.load("certificate/revoke"),
          "events",
          ActivitySql.insert(event(ActivityType.CERTIFICATE_REVOKED, "user_id", "id", "upd")));

  private static final String VERIFY =
      """
      select u.display_name, c.title as course_title, uc.issued_at, uc.revoked
      from user_certifications uc join certifications ce on ce.id = uc.certification_id
        join courses c on c.id = ce.course_id
        join users u on u.id = uc.user_id
      where uc.verification_code = $1
      """;

  /**
   * A certification, whether the request created it (201) or replaced it (200), and whether it
   * renamed it.
   */
  public record Defined(
      CertificateDtos.CertificationView certification, boolean created, boolean renamed) {}

  /**
   * The outcome of an issue request: the rules as evaluated, with the certificate issued now or
   * earlier (null when neither, including when a concurrent request issued it meanwhile).
   */
  record IssueResult(CertificateDtos.Eligibility evaluation, boolean issuedNow) {}

  private final Pool pool;
  private final SqlClient reads;

  public CertificateRepository(Pool pool, Pipelined pipelined) {
    this.pool = pool;
    this.reads = pipelined.reads();
  }

  /**
   * Null when the course has no certification, or is unpublished (a draft or archived) and not the
   * user's to see. A bounded per-user read, asked often: pipelined.
   */
  @DbRead(pipelined = true)
  public Uni<CertificateDtos.Eligibility> eligibility(long userId, long courseId, boolean admin) {
    return reads
        .preparedQuery(ELIGIBILITY)
        .execute(Tuple.of(userId, courseId, admin))
        .map(rows -> rows.size() == 0 ? null : evaluation(rows.iterator().next()));
  }

  /**
   * Null when the course has no certification, or is unpublished (a draft or archived) and not the
   * user's to see.
   */
  @DbWrite
  public Uni<IssueResult> issue(
      long userId, long courseId, boolean admin, String verificationCode) {
    return pool.preparedQuery(ISSUE)
        .execute(Tuple.of(userId, courseId, admin, verificationCode))
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
    return pool.preparedQuery(FOR_COURSE)
        .execute(Tuple.of(userId, courseId))
        .map(rows -> rows.size() == 0 ? null : certificate(rows.iterator().next()));
  }

  @DbRead
  public Uni<Page<CertificateDtos.CertificateView>> mine(long userId, String cursor, int limit) {
    String ordering = "certificates:" + userId;
    Where where =
        Where.with(userId, limit + 1)
            .keyset(cursor, ordering, "uc.issued_at, uc.id", Where.Order.DESC, TIME, LONG);
    return pool.preparedQuery(Sql.fill(MINE, "keyset", where.sql()))
        .execute(where.tuple())
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
                  row.getBoolean("created"),
                  row.getBoolean("renamed"));
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
