package io.campus.blackbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fixtures written over JDBC into the test's own PostgreSQL after the service migrated it: accounts
 * with live bearer tokens, published courses with lessons, mentor assignments.
 */
public final class Seed {

  /** An account and its bearer token. */
  public record Account(long id, String role, String token) {}

  /** A published course and its lesson ids in order. */
  public record Course(long id, String slug, List<Long> lessonIds) {}

  private final Connection connection;

  public Seed(Connection connection) {
    this.connection = connection;
  }

  public List<Account> accounts(String role, int count) throws SQLException {
    List<Account> accounts = new ArrayList<>();
    try (PreparedStatement user =
            connection.prepareStatement(
                "insert into users (email, display_name, role, password_hash)"
                    + " values (?, ?, ?, 'not-a-login-account') returning id");
        PreparedStatement session =
            connection.prepareStatement(
                "insert into sessions (token_hash, user_id, expires_at)"
                    + " values (?, ?, now() + interval '1 day')")) {
      for (int i = 0; i < count; i++) {
        String unique = UUID.randomUUID().toString();
        user.setString(1, role.toLowerCase() + "-" + unique + "@blackbox.campus");
        user.setString(2, "Blackbox " + role + " " + i);
        user.setString(3, role);
        long id;
        try (ResultSet rs = user.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
        String token = UUID.randomUUID() + "-" + UUID.randomUUID();
        session.setBytes(1, sha256(token));
        session.setLong(2, id);
        session.addBatch();
        accounts.add(new Account(id, role, token));
      }
      session.executeBatch();
    }
    return accounts;
  }

  public Course publishedCourse(long instructorId, int lessons) throws SQLException {
    String slug = "blackbox-" + UUID.randomUUID().toString().substring(0, 13);
    long id;
    try (PreparedStatement course =
        connection.prepareStatement(
            "insert into courses (slug, title, description, category, level, status,"
                + " instructor_id, lesson_count, published_at)"
                + " values (?, ?, 'A course for black-box tests', 'testing', 'BEGINNER',"
                + " 'PUBLISHED', ?, ?, now()) returning id")) {
      course.setString(1, slug);
      course.setString(2, "Blackbox " + slug);
      course.setLong(3, instructorId);
      course.setInt(4, lessons);
      try (ResultSet rs = course.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    List<Long> lessonIds = new ArrayList<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into lessons (course_id, position, title)"
                + " select ?, p, 'Lesson ' || p from generate_series(1, ?) p order by p"
                + " returning id")) {
      insert.setLong(1, id);
      insert.setInt(2, lessons);
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) {
          lessonIds.add(rs.getLong(1));
        }
      }
    }
    return new Course(id, slug, lessonIds);
  }

  public void assign(long mentorId, long studentId) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into mentor_assignments (mentor_id, student_id) values (?, ?)")) {
      insert.setLong(1, mentorId);
      insert.setLong(2, studentId);
      insert.executeUpdate();
    }
  }

  public void assignAll(long mentorId, List<Long> studentIds) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into mentor_assignments (mentor_id, student_id)"
                + " select ?, s from unnest(?::bigint[]) s")) {
      insert.setLong(1, mentorId);
      insert.setArray(2, connection.createArrayOf("bigint", studentIds.toArray()));
      insert.executeUpdate();
    }
  }

  public long count(String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
