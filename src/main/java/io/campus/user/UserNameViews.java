package io.campus.user;

import io.campus.certificate.CertificateService;
import io.campus.course.CourseService;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows which cached views show a user's name or address: the user's own entries
 * (tag), their mentors' student lists, the analytics of the courses they take, their certificates'
 * public verification and the pages of the courses they instruct. A display-name change and an
 * account deletion both evict them all. (The leaderboard is a materialized view: a deletion
 * refreshes it at once, a rename shows there at its next refresh.)
 */
@ApplicationScoped
class UserNameViews {

  private final UserRepository users;
  private final TwoLevelCache cache;
  private final CourseService courses;
  private final CertificateService certificates;

  UserNameViews(
      UserRepository users,
      TwoLevelCache cache,
      CourseService courses,
      CertificateService certificates) {
    this.users = users;
    this.cache = cache;
    this.courses = courses;
    this.certificates = certificates;
  }

  /** What shows the user's name, besides their own entries and the courses they instruct. */
  record Shown(
      List<Long> mentorIds, List<Long> courseIds, List<String> certificateCodes, boolean ranked) {}

  /** One statement in the caller's session (its transaction, when it has one). */
  @SuppressWarnings("unchecked")
  Uni<Shown> of(long userId) {
    return users
        .getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        """
                        select 'm' as kind, cast(mentor_id as text) as value from mentor_assignments
                        where student_id = :id
                        union all select 'i', cast(course_id as text) from enrollments
                        where user_id = :id
                        union all select 'c', verification_code from user_certifications
                        where user_id = :id
                        union all select 'r', '' from user_stats
                        where user_id = :id and points > 0
                        """)
                    .setParameter("id", userId)
                    .getResultList())
        .map(
            rows -> {
              List<Long> mentors = new ArrayList<>();
              List<Long> enrolled = new ArrayList<>();
              List<String> codes = new ArrayList<>();
              boolean ranked = false;
              for (Object row : rows) {
                Object[] cols = (Object[]) row;
                switch (String.valueOf(cols[0])) {
                  case "m" -> mentors.add(Long.parseLong(String.valueOf(cols[1])));
                  case "i" -> enrolled.add(Long.parseLong(String.valueOf(cols[1])));
                  case "c" -> codes.add(String.valueOf(cols[1]));
                  default -> ranked = true;
                }
              }
              return new Shown(mentors, enrolled, codes, ranked);
            });
  }

  /** Evicts every cached view that shows the user's name, on every instance. */
  Uni<Void> evict(long userId, Shown shown) {
    List<String> tags = new ArrayList<>();
    tags.add(CacheTags.user(userId));
    shown.mentorIds().forEach(m -> tags.add(CacheTags.mentor(m)));
    shown.courseIds().forEach(c -> tags.add(CacheTags.courseInsights(c)));
    Uni<Void> done = cache.bumpAll(tags).chain(() -> courses.instructorRenamed(userId));
    if (!shown.certificateCodes().isEmpty()) {
      done = done.chain(() -> certificates.evictVerifications(shown.certificateCodes()));
    }
    return done;
  }
}
