package io.campus.insight;

import io.campus.auth.Caller;
import io.campus.course.CourseService;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class InsightService {

  static final int DEFAULT_BOARD_SIZE = 10;
  static final int MAX_BOARD_SIZE = 100;

  /** Short TTL (application.properties): the figures may lag the last minute of activity. */
  static final CacheSpec<InsightDtos.CourseAnalytics> ANALYTICS =
      CacheSpec.of("course-analytics", InsightDtos.CourseAnalytics.class);

  private final InsightRepository insights;
  private final CourseService courses;
  private final TwoLevelCache cache;

  public InsightService(InsightRepository insights, CourseService courses, TwoLevelCache cache) {
    this.insights = insights;
    this.courses = courses;
    this.cache = cache;
  }

  public static int boardSize(String limit) {
    return PageSize.parse(limit, DEFAULT_BOARD_SIZE, MAX_BOARD_SIZE);
  }

  public Uni<Page<InsightDtos.CourseStudent>> students(
      String slug, UserView caller, String cursor, int limit) {
    return insights.students(slug, Caller.isAdmin(caller), caller.id(), cursor, limit);
  }

  /**
   * The instructor's and admins' figures of a course: the course from its cached detail (its
   * instructor decides access), the figures from one statement, cached for a short time.
   */
  public Uni<InsightDtos.CourseAnalytics> analytics(String slug, UserView caller) {
    return courses
        .detail(slug, caller)
        .chain(
            course -> {
              if (!Caller.isAdmin(caller) && caller.id() != course.instructorId()) {
                return Uni.createFrom()
                    .failure(
                        ProblemException.forbidden(
                            "Only the course's instructor or an admin may see its analytics."));
              }
              return cache
                  .version(CacheTags.courseInsights(course.id()))
                  .chain(
                      version ->
                          cache.get(
                              ANALYTICS,
                              CacheKey.of(version, course.id()),
                              () -> insights.analytics(course.id())));
            });
  }

  public Uni<InsightDtos.CourseLeaderboard> leaderboard(String slug, UserView caller, int limit) {
    return insights.leaderboard(slug, Caller.isAdmin(caller), caller.id(), limit);
  }
}
