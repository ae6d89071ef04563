package io.campus.assessment;

import io.campus.course.CourseStatus;
import io.campus.platform.common.Problem;
import io.campus.user.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks of submitted items. The field constraints of {@link AssessmentDtos.AssessmentInput} are
 * applied item by item, so that every problem of every item is reported at once, by index, together
 * with those only the database can reveal ({@link Parsed#errors}).
 */
@ApplicationScoped
public class AssessmentValidator {

  // Errors of one item are reported in the order of its fields, at most one per field.
  private static final List<String> FIELDS =
      List.of("studentId", "courseId", "skill", "score", "feedback");

  private final Validator validator;

  public AssessmentValidator(Validator validator) {
    this.validator = validator;
  }

  /** The natural key of an assessment within one submission (the mentor is the caller). */
  private record NaturalKey(long studentId, Long courseId, String skill, LocalDate assessedOn) {}

  /** Items checked for everything that needs no database, and what the database must confirm. */
  Parsed parse(List<AssessmentDtos.AssessmentInput> items, LocalDate today) {
    int n = items.size();
    List<Problem.FieldError> errors = new ArrayList<>();
    AssessmentRepository.Columns columns =
        new AssessmentRepository.Columns(
            new Long[n],
            new Long[n],
            new String[n],
            new Integer[n],
            new String[n],
            new LocalDate[n]);
    Map<NaturalKey, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      AssessmentDtos.AssessmentInput in = items.get(i);
      if (in == null) {
        errors.add(new Problem.FieldError("item", "is required", i));
        continue;
      }
      List<Problem.FieldError> found = fieldErrors(in, i);
      LocalDate date = assessedOn(in.assessedOn(), today, i, found);
      fill(columns, i, in, date, found);
      if (found.isEmpty()) {
        Long course = columns.courseIds()[i];
        Integer first =
            seen.putIfAbsent(new NaturalKey(in.studentId(), course, in.skill().strip(), date), i);
        if (first != null) {
          found.add(
              new Problem.FieldError(
                  "item", "repeats item " + first + " (same student, course, skill and date)", i));
        }
      }
      errors.addAll(found);
    }
    return Parsed.of(errors, columns);
  }

  /** Violations of the item's field constraints, one per field, in field order. */
  private List<Problem.FieldError> fieldErrors(AssessmentDtos.AssessmentInput in, int index) {
    Map<Integer, Problem.FieldError> byField = new TreeMap<>();
    for (ConstraintViolation<AssessmentDtos.AssessmentInput> v : validator.validate(in)) {
      String field = v.getPropertyPath().toString();
      byField.putIfAbsent(
          FIELDS.indexOf(field), new Problem.FieldError(field, v.getMessage(), index));
    }
    return new ArrayList<>(byField.values());
  }

  /**
   * The date of an item: today if absent; an error if malformed or outside {@link
   * AssessmentDtos#EARLIEST_ASSESSED_ON} to today (UTC). An earlier date (0001-01-01) is a typo,
   * not an assessment anyone recorded, and would skew a student's history and date filters.
   */
  private static LocalDate assessedOn(
      String text, LocalDate today, int index, List<Problem.FieldError> errors) {
    if (text == null || text.isBlank()) {
      return today;
    }
    try {
      LocalDate date = LocalDate.parse(text.strip());
      if (date.isBefore(AssessmentDtos.EARLIEST_ASSESSED_ON) || date.isAfter(today)) {
        errors.add(
            new Problem.FieldError(
                "assessedOn",
                "must be a date from " + AssessmentDtos.EARLIEST_ASSESSED_ON + " to today (UTC)",
                index));
      }
      return date;
    } catch (DateTimeParseException e) {
      errors.add(new Problem.FieldError("assessedOn", "must be a date as YYYY-MM-DD", index));
      return null;
    }
  }

  /** Stores the item's valid values; ids of invalid fields stay null, unchecked by the database. */
  private static void fill(
      AssessmentRepository.Columns columns,
      int i,
      AssessmentDtos.AssessmentInput in,
      LocalDate date,
      List<Problem.FieldError> errors) {
    Set<String> bad = new LinkedHashSet<>();
    errors.forEach(e -> bad.add(e.field()));
    columns.studentIds()[i] = bad.contains("studentId") ? null : in.studentId();
    columns.courseIds()[i] = bad.contains("courseId") ? null : in.courseId();
    columns.skills()[i] = in.skill() == null ? null : in.skill().strip();
    columns.scores()[i] = bad.contains("score") ? null : in.score().intValueExact();
    columns.feedback()[i] = in.feedback() == null ? "" : in.feedback();
    columns.assessedOn()[i] = date;
  }

  record Parsed(
      List<Problem.FieldError> staticErrors,
      AssessmentRepository.Columns columns,
      Long[] studentIds,
      Long[] courseIds,
      Long[] pairStudents,
      Long[] pairCourses) {

    static Parsed of(List<Problem.FieldError> errors, AssessmentRepository.Columns columns) {
      Long[] students = columns.studentIds();
      Long[] courses = columns.courseIds();
      Set<Checked.Enrollment> pairs = new LinkedHashSet<>();
      for (int i = 0; i < students.length; i++) {
        if (students[i] != null && courses[i] != null) {
          pairs.add(new Checked.Enrollment(students[i], courses[i]));
        }
      }
      return new Parsed(
          errors,
          columns,
          distinct(students),
          distinct(courses),
          pairs.stream().map(Checked.Enrollment::studentId).toArray(Long[]::new),
          pairs.stream().map(Checked.Enrollment::courseId).toArray(Long[]::new));
    }

    private static Long[] distinct(Long[] ids) {
      return Arrays.stream(ids).filter(Objects::nonNull).distinct().toArray(Long[]::new);
    }

    private static boolean isDraft(Checked.CourseState course) {
      return CourseStatus.DRAFT.name().equals(course.status());
    }

    /** All problems, static and those the database revealed, ordered by item. */
    List<Problem.FieldError> errors(Checked checked, boolean admin, boolean single) {
      List<Problem.FieldError> all = new ArrayList<>(staticErrors);
      Long[] students = columns.studentIds();
      Long[] courses = columns.courseIds();
      for (int i = 0; i < students.length; i++) {
        Checked.CourseState course = courses[i] == null ? null : checked.courses().get(courses[i]);
        boolean teaches = course != null && course.instructedByCaller();
        boolean studentOk =
            students[i] != null
                && studentError(all, checked, students[i], courses[i] != null, admin, teaches, i);
        if (courses[i] != null) {
          courseError(all, checked, course, students[i], courses[i], admin, studentOk, i);
        }
      }
      all.sort(Comparator.comparing(Problem.FieldError::index));
      if (single) {
        all.replaceAll(e -> new Problem.FieldError(e.field(), e.message()));
      }
      return all;
    }

    /** Adds the student's problem, if any; true when the student may be assessed. */
    private static boolean studentError(
        List<Problem.FieldError> all,
        Checked checked,
        long student,
        boolean withCourse,
        boolean admin,
        boolean teaches,
        int i) {
      Checked.StudentState state = checked.students().get(student);
      String problem;
      if (state == null || (!admin && !Role.STUDENT.name().equals(state.role()))) {
        // a mentor's refusal does not tell staff accounts from ids nobody has
        problem = "no student has this id";
      } else if (!Role.STUDENT.name().equals(state.role())) {
        problem = "is not a student";
      } else if (!admin && !state.assignedToCaller() && !teaches) {
        problem =
            withCourse
                ? "is not assigned to you and you do not teach this course"
                : "is not assigned to you";
      } else {
        return true;
      }
      all.add(new Problem.FieldError("studentId", problem, i));
      return false;
    }

    private static void courseError(
        List<Problem.FieldError> all,
        Checked checked,
        Checked.CourseState course,
        Long student,
        long courseId,
        boolean admin,
        boolean studentOk,
        int i) {
      boolean teaches = course != null && course.instructedByCaller();
      boolean enrolled =
          studentOk && checked.enrollments().contains(new Checked.Enrollment(student, courseId));
      // A draft is invisible to everyone but its instructor and admins, here as in the catalogue;
      // an archived course to everyone else but through a student still enrolled in it.
      boolean visible =
          course != null
              && (admin
                  || teaches
                  || CourseStatus.PUBLISHED.name().equals(course.status())
                  || (!isDraft(course) && enrolled));
      if (!visible) {
        all.add(new Problem.FieldError("courseId", "no course has this id", i));
      } else if (isDraft(course)) {
        all.add(new Problem.FieldError("courseId", "is a draft; publish it before assessing", i));
      } else if (studentOk && !enrolled) {
        all.add(new Problem.FieldError("courseId", "the student is not enrolled in it", i));
      }
    }
  }
}
