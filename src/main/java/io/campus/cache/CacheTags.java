package io.campus.cache;

/**
 * Tags that families of cache keys fold in (see {@link TwoLevelCache#version}); a write bumps the
 * tags of what it changed. One place, so readers and writers agree on the names.
 */
public final class CacheTags {

  /** Everything about one user: dashboard, activity feed. */
  public static String user(long userId) {
    return "user:" + userId;
  }

  /** A mentor's student list (assignments, assessments, students' progress). */
  public static String mentor(long mentorId) {
    return "mentor:" + mentorId;
  }

  public static final String ACHIEVEMENTS = "achievements";
  public static final String LEADERBOARD = "leaderboard";

  private CacheTags() {}
}
