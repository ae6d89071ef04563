package io.campus.assessment;

import io.campus.CampusConfig;
import io.campus.auth.Caller;
import io.campus.cache.CacheTags;
import io.campus.cache.TwoLevelCache;
import io.campus.common.Page;
import io.campus.common.Problem;
import io.campus.common.ProblemException;
import io.campus.course.CourseStatus;
import io.campus.mentor.MentorService;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Rules of assessment submissions. Every item is checked and every problem reported at once;
 * nothing is written unless all items are valid. Single and bulk submissions share this path.
 */
@ApplicationScoped
public class AssessmentService {

  private static final Logger LOG = Logger.getLogger(AssessmentService.class);

  static final int MAX_SKILL = 120;
  static final int MAX_FEEDBACK = 4000;
  static final int MAX_KEY = 200;
  static final String KEY_HEADER = "Idempotency-Key";

  private static final BigDecimal MAX_SCORE = BigDecimal.valueOf(100);

  private final AssessmentRepository assessments;
  private final CampusConfig.Assessments config;
  private final TwoLevelCache cache;

  public AssessmentService(
      AssessmentRepository assessments, CampusConfig config, TwoLevelCache cache) {
    this.assessments = assessments;
    this.config = config.assessments();
    this.cache = cache;
  }

  public Uni<AssessmentRepository.Outcome> submitBulk(
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

  public Uni<AssessmentRepository.Outcome> submitOne(
      UserView caller, AssessmentDtos.AssessmentInput item, String key) {
    if (item == null) {
      throw ProblemException.badRequest("A request body is required.");
    }
    return submit(caller, List.of(item), key, true);
  }

  private Uni<AssessmentRepository.Outcome> submit(
      UserView caller, List<AssessmentDtos.AssessmentInput> items, String key, boolean single) {
    checkKey(key);
    boolean admin = Caller.isAdmin(caller);
    Parsed parsed = parse(items, LocalDate.now(ZoneOffset.UTC));
    byte[] hash = key == null ? null : requestHash(single, items);
    return assessments
        .check(
            caller.id(),
            parsed.studentIds(),
            parsed.courseIds(),
            parsed.pairStudents(),
            parsed.pairCourses(),
            key)
        .chain(
            checked -> {
              if (checked.storedKey() != null) {
                return Uni.createFrom().item(replay(checked.storedKey(), hash));
              }
              List<Problem.FieldError> errors = parsed.errors(checked, admin, single);
              if (!errors.isEmpty()) {
                long bad = errors.stream().map(Problem.FieldError::index).distinct().count();
                throw new ProblemException(
                    422,
                    "Unprocessable Content",
                    single
                        ? "The assessment is invalid; nothing was recorded."
                        : bad + " of " + items.size() + " items are invalid; nothing was recorded.",
                    errors,
                    null);
              }
              return assessments
                  .insert(
                      caller.id(),
                      parsed.columns(),
                      single,
                      key,
                      hash,
                      config.idempotencyTtl().toSeconds())
                  .onFailure(AssessmentRepository::isKeyRace)
                  .recoverWithUni(() -> afterKeyRace(caller.id(), key, hash))
                  .call(
                      o -> {
                        if (o.replayed() || o.created() == 0) {
                          return Uni.createFrom().voidItem();
                        }
                        LOG.infof("User %d recorded %d assessments", caller.id(), o.created());
                        // Students' dashboards and feeds, and the mentor's student list.
                        java.util.Set<String> tags = new java.util.LinkedHashSet<>();
                        tags.add(CacheTags.mentor(caller.id()));
                        for (Long student : parsed.studentIds()) {
                          if (student != null) {
                            tags.add(CacheTags.user(student));
                          }
                        }
                        return cache.bumpAll(tags);
                      });
            });
  }

  /**
   * A concurrent request with the same key committed first, so this one wrote nothing: answer with
   * the winner's stored response (or 422 if the winner's request differed). This costs one more
   * statement, on this rare path only.
   */
  private Uni<AssessmentRepository.Outcome> afterKeyRace(long callerId, String key, byte[] hash) {
    return assessments
        .findKey(callerId, key)
        .map(
            stored -> {
              if (stored == null) {
                // the winner's record expired in the meantime
                throw ProblemException.conflict(
                    "A concurrent request with this Idempotency-Key was recorded first;"
                        + " retry to receive the current answer.");
              }
              return replay(stored, hash);
            });
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

  private static AssessmentRepository.Outcome replay(
      AssessmentRepository.StoredKey stored, byte[] hash) {
    if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
      throw ProblemException.unprocessable(
          "This Idempotency-Key was already used for a different request; use a new key.");
    }
    return stored.outcome();
  }

  static void checkKey(String key) {
    if (key == null) {
      return;
    }
    boolean printable = !key.isEmpty() && key.length() <= MAX_KEY;
    for (int i = 0; printable && i < key.length(); i++) {
      char c = key.charAt(i);
      printable = c >= 0x20 && c <= 0x7e;
    }
    if (!printable) {
      throw ProblemException.invalidField(
          KEY_HEADER, "must be 1 to " + MAX_KEY + " printable ASCII characters");
    }
  }

  /**
   * SHA-256 of a canonical form of the request: the endpoint and every item field as sent, each
   * length-prefixed, so formatting and key order of the JSON do not matter but any value does.
   */
  static byte[] requestHash(boolean single, List<AssessmentDtos.AssessmentInput> items) {
    StringBuilder sb = new StringBuilder(single ? "one" : "bulk");
    for (AssessmentDtos.AssessmentInput item : items) {
      sb.append('\n');
      if (item == null) {
        sb.append('!');
        continue;
      }
      field(sb, item.studentId());
      field(sb, item.courseId());
      field(sb, item.skill());
      field(sb, item.score() == null ? null : item.score().stripTrailingZeros().toPlainString());
      field(sb, item.feedback() == null ? "" : item.feedback());
      field(sb, item.assessedOn());
    }
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void field(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append('~');
    } else {
      String s = value.toString();
      sb.append(s.length()).append(':').append(s);
    }
    sb.append(';');
  }

  /** The natural key of an assessment within one submission (the mentor is the caller). */
  private record NaturalKey(long studentId, Long courseId, String skill, LocalDate assessedOn) {}

  /** Items checked for everything that needs no database, and what the database must confirm. */
  static Parsed parse(List<AssessmentDtos.AssessmentInput> items, LocalDate today) {
    int n = items.size();
    List<Problem.FieldError> errors = new ArrayList<>();
    Long[] studentIds = new Long[n];
    Long[] courseIds = new Long[n];
    String[] skills = new String[n];
    Integer[] scores = new Integer[n];
    String[] feedback = new String[n];
    LocalDate[] dates = new LocalDate[n];
    Set<Long> students = new LinkedHashSet<>();
    Set<Long> courses = new LinkedHashSet<>();
    Map<NaturalKey, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      AssessmentDtos.AssessmentInput in = items.get(i);
      if (in == null) {
        errors.add(new Problem.FieldError("item", "is required", i));
        continue;
      }
      int before = errors.size();
      if (in.studentId() == null) {
        errors.add(new Problem.FieldError("studentId", "is required", i));
      } else if (in.studentId() <= 0) {
        errors.add(new Problem.FieldError("studentId", "must be a positive id", i));
      } else {
        studentIds[i] = in.studentId();
        students.add(in.studentId());
      }
      if (in.courseId() != null) {
        if (in.courseId() <= 0) {
          errors.add(new Problem.FieldError("courseId", "must be a positive id", i));
        } else {
          courseIds[i] = in.courseId();
          courses.add(in.courseId());
        }
      }
      String skill = in.skill() == null ? "" : in.skill().strip();
      if (skill.isEmpty()) {
        errors.add(new Problem.FieldError("skill", "is required", i));
      } else {
        text(errors, i, "skill", skill, MAX_SKILL);
        skills[i] = skill;
      }
      BigDecimal score = in.score();
      if (score == null) {
        errors.add(new Problem.FieldError("score", "is required", i));
      } else if (score.signum() < 0
          || score.compareTo(MAX_SCORE) > 0
          || score.stripTrailingZeros().scale() > 0) {
        errors.add(new Problem.FieldError("score", "must be a whole number from 0 to 100", i));
      } else {
        scores[i] = score.intValueExact();
      }
      feedback[i] = in.feedback() == null ? "" : in.feedback();
      text(errors, i, "feedback", feedback[i], MAX_FEEDBACK);
      if (in.assessedOn() == null || in.assessedOn().isBlank()) {
        dates[i] = today;
      } else {
        try {
          dates[i] = LocalDate.parse(in.assessedOn().strip());
          if (dates[i].isAfter(today)) {
            errors.add(new Problem.FieldError("assessedOn", "must not be in the future", i));
          }
        } catch (DateTimeParseException e) {
          errors.add(new Problem.FieldError("assessedOn", "must be a date as YYYY-MM-DD", i));
        }
      }
      if (errors.size() == before) {
        Integer first =
            seen.putIfAbsent(new NaturalKey(studentIds[i], courseIds[i], skill, dates[i]), i);
        if (first != null) {
          errors.add(
              new Problem.FieldError(
                  "item", "repeats item " + first + " (same student, course, skill and date)", i));
        }
      }
    }
    Set<AssessmentRepository.Enrollment> pairs = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      if (studentIds[i] != null && courseIds[i] != null) {
        pairs.add(new AssessmentRepository.Enrollment(studentIds[i], courseIds[i]));
      }
    }
    return new Parsed(
        errors,
        new AssessmentRepository.Columns(studentIds, courseIds, skills, scores, feedback, dates),
        students.toArray(Long[]::new),
        courses.toArray(Long[]::new),
        pairs.stream().map(AssessmentRepository.Enrollment::studentId).toArray(Long[]::new),
        pairs.stream().map(AssessmentRepository.Enrollment::courseId).toArray(Long[]::new));
  }

  private static void text(
      List<Problem.FieldError> errors, int index, String field, String value, int max) {
    if (value.codePointCount(0, value.length()) > max) {
      errors.add(new Problem.FieldError(field, "must be at most " + max + " characters", index));
    } else if (value.indexOf('\0') >= 0) {
      errors.add(new Problem.FieldError(field, "must not contain NUL characters", index));
    }
  }

  record Parsed(
      List<Problem.FieldError> staticErrors,
      AssessmentRepository.Columns columns,
      Long[] studentIds,
      Long[] courseIds,
      Long[] pairStudents,
      Long[] pairCourses) {

    private static boolean isDraft(AssessmentRepository.CourseState course) {
      return CourseStatus.DRAFT.name().equals(course.status());
    }

    /** All problems, static and those the database revealed, ordered by item. */
    List<Problem.FieldError> errors(
        AssessmentRepository.Checked checked, boolean admin, boolean single) {
      List<Problem.FieldError> all = new ArrayList<>(staticErrors);
      Long[] students = columns.studentIds();
      Long[] courses = columns.courseIds();
      for (int i = 0; i < students.length; i++) {
        AssessmentRepository.CourseState course =
            courses[i] == null ? null : checked.courses().get(courses[i]);
        boolean teaches = course != null && course.instructedByCaller();
        // A draft is invisible to everyone but its instructor and admins, here as in the catalogue.
        boolean visible = course != null && (admin || teaches || !isDraft(course));
        boolean studentOk = false;
        if (students[i] != null) {
          AssessmentRepository.StudentState state = checked.students().get(students[i]);
          if (state == null) {
            all.add(new Problem.FieldError("studentId", "no student has this id", i));
          } else if (!Role.STUDENT.name().equals(state.role())) {
            all.add(new Problem.FieldError("studentId", "is not a student", i));
          } else if (!admin && !state.assignedToCaller() && !teaches) {
            all.add(
                new Problem.FieldError(
                    "studentId",
                    courses[i] == null
                        ? "is not assigned to you"
                        : "is not assigned to you and you do not teach this course",
                    i));
          } else {
            studentOk = true;
          }
        }
        if (courses[i] != null) {
          if (!visible) {
            all.add(new Problem.FieldError("courseId", "no course has this id", i));
          } else if (isDraft(course)) {
            all.add(
                new Problem.FieldError("courseId", "is a draft; publish it before assessing", i));
          } else if (studentOk
              && !checked
                  .enrollments()
                  .contains(new AssessmentRepository.Enrollment(students[i], courses[i]))) {
            all.add(new Problem.FieldError("courseId", "the student is not enrolled in it", i));
          }
        }
      }
      all.sort(Comparator.comparing(Problem.FieldError::index));
      if (single) {
        all.replaceAll(e -> new Problem.FieldError(e.field(), e.message()));
      }
      return all;
    }
  }
}
