package io.campus.assessment;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the database says about a submission: the students, courses and enrollments its items name
 * and the live record of its idempotency key (or null), as read by {@code AssessmentRepository}'s
 * check statement.
 */
public record Checked(
    Map<Long, Checked.StudentState> students,
    Map<Long, Checked.CourseState> courses,
    Set<Checked.Enrollment> enrollments,
    AssessmentRepository.StoredKey storedKey) {

  /** What the database says about a student named by a submission. */
  public record StudentState(String role, boolean assignedToCaller) {}

  /** What the database says about a course named by a submission. */
  public record CourseState(String status, boolean instructedByCaller) {}

  /** A student and a course they are enrolled in. */
  public record Enrollment(long studentId, long courseId) {}

  /** The check statement's rows, told apart by their {@code kind}. */
  static Checked of(RowSet<Row> rows) {
    Map<Long, StudentState> students = new HashMap<>();
    Map<Long, CourseState> courses = new HashMap<>();
    Set<Enrollment> enrollments = new HashSet<>();
    AssessmentRepository.StoredKey stored = null;
    for (Row row : rows) {
      switch (row.getString("kind")) {
        case "S" ->
            students.put(
                row.getLong("id"),
                new StudentState(row.getString("role"), row.getBoolean("assigned")));
        case "C" ->
            courses.put(
                row.getLong("id"),
                new CourseState(row.getString("role"), row.getBoolean("assigned")));
        case "E" -> enrollments.add(new Enrollment(row.getLong("id"), row.getLong("course_id")));
        default -> stored = AssessmentRepository.storedKey(row);
      }
    }
    return new Checked(students, courses, enrollments, stored);
  }
}
