package io.campus.assessment;

import io.campus.auth.Caller;
import io.campus.mentor.MentorService;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.common.Problem;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Rules of assessment submissions. Every item is checked and every problem reported at once;
 * nothing is written unless all items are valid. Single and bulk submissions share this path.
 */
@ApplicationScoped
public class AssessmentService {

  private static final Logger LOG = Logger.getLogger(AssessmentService.class);

  private final AssessmentRepository assessments;
  private final AssessmentValidator validator;
  private final AssessmentIdempotency idempotency;
  private final AssessmentsConfig config;
  private final TwoLevelCache cache;

  public AssessmentService(
      AssessmentRepository assessments,
      AssessmentValidator validator,
      AssessmentIdempotency idempotency,
      AssessmentsConfig config,
      TwoLevelCache cache) {
    this.assessments = assessments;
    this.validator = validator;
    this.idempotency = idempotency;
    this.config = config;
    this.cache = cache;
  }

  public Uni<AssessmentMapper.Outcome> submitBulk(
      UserView caller, AssessmentDtos.BulkRequest request, String key) {
    if (request == null) {
      throw ProblemException.badRequest("A request body with items is required.");
    }
    List<AssessmentDtos.AssessmentInput> items = request.items();
    int max = config.maxBulkItems();
    if (items == null || items.isEmpty() || items.size() > max) {
      throw ProblemException.invalidField("items", "must contain between 1 and " + max + " items");
    }
    return submit(caller, items, key, false);
  }

  public Uni<AssessmentMapper.Outcome> submitOne(
      UserView caller, AssessmentDtos.AssessmentInput item, String key) {
    if (item == null) {
      throw ProblemException.badRequest("A request body is required.");
    }
    return submit(caller, List.of(item), key, true);
  }

  private Uni<AssessmentMapper.Outcome> submit(
      UserView caller, List<AssessmentDtos.AssessmentInput> items, String key, boolean single) {
    AssessmentIdempotency.checkKey(key);
    AssessmentValidator.Parsed parsed = validator.parse(items, LocalDate.now(ZoneOffset.UTC));
    byte[] hash = key == null ? null : AssessmentIdempotency.requestHash(single, items);
    Submission submission =
        new Submission(caller, Caller.isAdmin(caller), parsed, items.size(), key, hash, single);
    return check(submission).chain(checked -> write(submission, checked, true));
  }

  /** A submission on its way: who sends it, its parsed items and its idempotency key. */
  private record Submission(
      UserView caller,
      boolean admin,
      AssessmentValidator.Parsed parsed,
      int items,
      String key,
      byte[] hash,
      boolean single) {}

  private Uni<Checked> check(Submission s) {
    AssessmentValidator.Parsed parsed = s.parsed();
    return assessments.check(
        s.caller().id(),
        parsed.studentIds(),
        parsed.courseIds(),
        parsed.pairStudents(),
        parsed.pairCourses(),
        s.key());
  }

  /**
   * Answers from the checked rules, writing the submission if they hold. The write itself holds
   * them again as the rows are by then; should one no longer hold (an assignment ended, a course
   * unpublished or left meanwhile), it writes nothing, and on this rare path alone the rules are
   * read again ({@code firstTry} false) to answer as a new submission would be answered now.
   */
  private Uni<AssessmentMapper.Outcome> write(Submission s, Checked checked, boolean firstTry) {
    if (checked.storedKey() != null) {
      return Uni.createFrom()
          .item(AssessmentIdempotency.replay(checked.storedKey(), s.hash(), s.single()));
    }
    rejectInvalid(s.parsed().errors(checked, s.admin(), s.single()), s.items(), s.single());
    if (!firstTry) {
      // what changed changed back before the rules were read again
      throw ProblemException.conflict(
          "The students, assignments or courses of this submission changed while it was being"
              + " recorded; nothing was recorded. Retry to record it as they are now.");
    }
    long callerId = s.caller().id();
    return AfterCommit.then(
            assessments.insert(
                callerId,
                s.admin(),
                s.parsed().columns(),
                s.single(),
                s.key(),
                s.hash(),
                config.idempotencyTtl().toSeconds()),
            written ->
                written.refused()
                    ? Uni.createFrom().voidItem()
                    : recorded(
                        s.caller(),
                        s.parsed(),
                        AssessmentMapper.outcome(s.single(), written, false)))
        .chain(
            written ->
                written.refused()
                    ? check(s).chain(now -> write(s, now, false))
                    : Uni.createFrom().item(AssessmentMapper.outcome(s.single(), written, false)))
        .onFailure(AssessmentRepository::isKeyRace)
        .recoverWithUni(() -> idempotency.afterKeyRace(callerId, s.key(), s.hash(), s.single()));
  }

  /** A 422 listing every problem, if there is any. */
  private static void rejectInvalid(List<Problem.FieldError> errors, int items, boolean single) {
    if (errors.isEmpty()) {
      return;
    }
    long bad = errors.stream().map(Problem.FieldError::index).distinct().count();
    throw new ProblemException(
        422,
        "Unprocessable Content",
        single
            ? "The assessment is invalid; nothing was recorded."
            : bad + " of " + items + " items are invalid; nothing was recorded.",
        errors,
        null);
  }

  /** After a write: logs it and invalidates what it changed. */
  private Uni<Void> recorded(
      UserView caller, AssessmentValidator.Parsed parsed, AssessmentMapper.Outcome outcome) {
    if (outcome.replayed() || outcome.created() == 0) {
      return Uni.createFrom().voidItem();
    }
    LOG.infof("User %d recorded %d assessments", caller.id(), outcome.created());
    // Students' dashboards and feeds, and the student lists of the caller and of every active
    // mentor of the students (the insert returns them), whoever assessed.
    Set<String> tags = new LinkedHashSet<>();
    tags.add(CacheTags.mentor(caller.id()));
    outcome.mentorIds().forEach(m -> tags.add(CacheTags.mentor(m)));
    for (Long student : parsed.studentIds()) {
      if (student != null) {
        tags.add(CacheTags.user(student));
      }
    }
    return cache.bumpAll(tags);
  }

  public Uni<Page<AssessmentDtos.AssessmentView>> ofStudent(
      UserView viewer, long studentId, String cursor, int limit) {
    boolean trusted = viewer.id() == studentId || Caller.isAdmin(viewer);
    if (!trusted && viewer.role() != Role.MENTOR) {
      return Uni.createFrom()
          .failure(ProblemException.forbidden("You may not see this student's assessments."));
    }
    return assessments.ofStudent(studentId, trusted, viewer.id(), cursor, limit);
  }

  public Uni<Page<AssessmentDtos.AssessmentView>> ofMentor(
      UserView viewer, long mentorId, String cursor, int limit) {
    if (!MentorService.actsAsMentor(viewer, mentorId)) {
      return Uni.createFrom()
          .failure(ProblemException.forbidden("You may not see this mentor's assessments."));
    }
    return assessments.ofMentor(mentorId, cursor, limit);
  }
}
