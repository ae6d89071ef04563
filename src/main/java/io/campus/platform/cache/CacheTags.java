package io.campus.platform.cache;

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

  /** A course's lessons as readers see them (content, previous/next, the course's status). */
  public static String courseLessons(String slug) {
    return "course-lessons:" + slug;
  }

  /** What an instructor sees of a course: its analytics. */
  public static String courseInsights(long courseId) {
    return "course-insights:" + courseId;
  }

  /**
   * Any course as others show it (title, level, lessons, instructor's name): browse and search
   * pages, and students' dashboards, which show their courses. Bumped by every change of a course.
   */
  public static final String CATALOGUE = "catalogue";

  public static final String ACHIEVEMENTS = "achievements";
  public static final String LEADERBOARD = "leaderboard";

  private CacheTags() {}
}
