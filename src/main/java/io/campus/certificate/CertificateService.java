package io.campus.certificate;

import io.campus.auth.Caller;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.common.Problem;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

@ApplicationScoped
public class CertificateService {

  private static final Logger LOG = Logger.getLogger(CertificateService.class);

  /** A certificate and whether this request issued it (201) or found it issued before (200). */
  public record Issued(CertificateDtos.CertificateView certificate, boolean created) {}

  /** Public verification results by code; unknown codes are remembered briefly too. */
  public static final CacheSpec<CertificateDtos.Verification> VERIFICATIONS =
      CacheSpec.of("certificate-verify", CertificateDtos.Verification.class);

  private final CertificateRepository certificates;
  private final TwoLevelCache cache;

  public CertificateService(CertificateRepository certificates, TwoLevelCache cache) {
    this.certificates = certificates;
    this.cache = cache;
  }

  public Uni<CertificateRepository.Defined> define(
      long courseId, CertificateDtos.CertificationRules rules, UserView admin) {
    return AfterCommit.then(
            certificates.define(courseId, rules),
            // Holders' dashboards show its name and fold in the catalogue version, as for a course
            // title (a rename is rare; the holders may be many).
            d ->
                d != null && d.renamed()
                    ? cache.bump(CacheTags.CATALOGUE)
                    : Uni.createFrom().voidItem())
        .map(
            d -> {
              if (d == null) {
                throw ProblemException.notFound("No course with this id.");
              }
              LOG.infof("Certification of course %d defined by user %d", courseId, admin.id());
              return d;
            });
  }

  public Uni<Page<CertificateDtos.CertificateView>> mine(
      UserView caller, String cursor, int limit) {
    return certificates.mine(caller.id(), cursor, limit);
  }

  public Uni<CertificateDtos.Eligibility> eligibility(UserView caller, long courseId) {
    return certificates
        .eligibility(caller.id(), courseId, Caller.isAdmin(caller))
        .map(
            e -> {
              if (e == null) {
                throw noCertification();
              }
              return e;
            });
  }

  /**
   * Issues the caller's certificate for a course once its rules are met; repeating the request
   * returns the same certificate. A revoked certificate is not issued again.
   */
  public Uni<Issued> issue(UserView caller, long courseId) {
    return certificates
        .issue(caller.id(), courseId, Caller.isAdmin(caller), VerificationCodes.generate())
        .chain(
            result -> {
              if (result == null) {
                return Uni.createFrom().failure(noCertification());
              }
              CertificateDtos.Eligibility evaluation = result.evaluation();
              CertificateDtos.CertificateView certificate = evaluation.certificate();
              if (result.issuedNow()) {
                LOG.infof("Certificate %d issued to user %d", certificate.id(), caller.id());
                return cache
                    .bump(CacheTags.user(caller.id()))
                    .replaceWith(new Issued(certificate, true));
              }
              if (certificate != null) {
                return Uni.createFrom().item(existing(certificate));
              }
              if (evaluation.eligible()) {
                // A concurrent request issued it after this statement's snapshot was taken.
                return certificates
                    .findForCourse(caller.id(), courseId)
                    .map(
                        found -> {
                          if (found == null) {
                            throw ProblemException.conflict(
                                "The certificate could not be issued; try again.");
                          }
                          return existing(found);
                        });
              }
              return Uni.createFrom().failure(notEligible(evaluation));
            });
  }

  public Uni<CertificateDtos.CertificateView> revoke(long certificateId, UserView admin) {
    return AfterCommit.then(
            certificates.revoke(certificateId),
            revoked ->
                revoked == null
                    ? Uni.createFrom().voidItem()
                    // The holder's dashboard and feed show it too.
                    : cache
                        .bump(CacheTags.user(revoked.holderId()))
                        .chain(
                            () ->
                                evictVerifications(
                                    List.of(revoked.certificate().verificationCode()))))
        .map(
            revoked -> {
              if (revoked == null) {
                throw ProblemException.notFound("No certificate with this id.");
              }
              LOG.infof("Certificate %d revoked by user %d", certificateId, admin.id());
              return revoked;
            })
        .map(CertificateRepository.Revoked::certificate);
  }

  /** Evicts the cached verifications of these codes everywhere (a holder renamed, a revocation). */
  public Uni<Void> evictVerifications(List<String> codes) {
    return cache
        .version(CacheTags.CATALOGUE)
        .chain(
            courses ->
                cache.evict(
                    VERIFICATIONS,
                    codes.stream().map(code -> CacheKey.of(code, courses)).toArray(String[]::new)));
  }

  /**
   * Public verification; the code must already be in canonical form. Cached under the catalogue's
   * version too, as the course title it shows: a course renamed shows at once.
   */
  public Uni<CertificateDtos.Verification> verify(String code) {
    return cache
        .version(CacheTags.CATALOGUE)
        .chain(
            courses ->
                cache.get(
                    VERIFICATIONS, CacheKey.of(code, courses), () -> certificates.verify(code)))
        .map(
            v -> {
              if (v == null) {
                throw ProblemException.notFound("No certificate with this verification code.");
              }
              return v;
            });
  }

  private static Issued existing(CertificateDtos.CertificateView certificate) {
    if (certificate.revoked()) {
      throw ProblemException.conflict("Your certificate for this course was revoked.");
    }
    return new Issued(certificate, false);
  }

  private static ProblemException noCertification() {
    return ProblemException.notFound("This course has no certification.");
  }

  private static ProblemException notEligible(CertificateDtos.Eligibility evaluation) {
    List<Problem.FieldError> unmet =
        evaluation.rules().stream()
            .filter(r -> !r.met())
            .map(
                r ->
                    new Problem.FieldError(
                        r.rule(),
                        // completion has no value without an enrollment
                        "COMPLETION".equals(r.rule()) && r.actual() == null
                            ? "requires enrolling in the course first"
                            : "requires at least "
                                + r.required()
                                + "; actual: "
                                + (r.actual() == null ? "none" : r.actual())))
            .toList();
    return new ProblemException(
        422,
        "Unprocessable Content",
        "You do not meet every rule of this certification yet.",
        unmet,
        null);
  }
}
