package io.campus.mentor;

import com.fasterxml.jackson.core.type.TypeReference;
import io.campus.auth.Caller;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

@ApplicationScoped
public class MentorService {

  private static final Logger LOG = Logger.getLogger(MentorService.class);

  static final CacheSpec<Page<MentorDtos.StudentSummary>> STUDENT_LISTS =
      CacheSpec.of("mentor-students", new TypeReference<Page<MentorDtos.StudentSummary>>() {});

  private final MentorRepository mentors;
  private final TwoLevelCache cache;

  public MentorService(MentorRepository mentors, TwoLevelCache cache) {
    this.mentors = mentors;
    this.cache = cache;
  }

  /**
   * True when the viewer may act as the mentor {@code mentorId}: that mentor (still holding the
   * role, so a former mentor loses access to old students) or an admin.
   */
  public static boolean actsAsMentor(UserView viewer, long mentorId) {
    return Caller.isAdmin(viewer) || (viewer.id() == mentorId && viewer.role() == Role.MENTOR);
  }

  public Uni<Page<MentorDtos.StudentSummary>> students(
      UserView viewer, long mentorId, String cursor, int limit) {
    if (!actsAsMentor(viewer, mentorId)) {
      return Uni.createFrom()
          .failure(ProblemException.forbidden("You may not see this mentor's students."));
    }
    return cache
        .version(CacheTags.mentor(mentorId))
        .chain(
            version ->
                cache.get(
                    STUDENT_LISTS,
                    CacheKey.of(mentorId, version, cursor, limit),
                    () -> mentors.students(mentorId, cursor, limit)));
  }

  public Uni<Page<MentorDtos.MentorSummary>> mentors(
      UserView viewer, long studentId, String cursor, int limit) {
    boolean trusted = viewer.id() == studentId || Caller.isAdmin(viewer);
    if (!trusted && viewer.role() != Role.MENTOR) {
      return Uni.createFrom()
          .failure(ProblemException.forbidden("You may not see this student's mentors."));
    }
    return mentors.mentors(studentId, trusted, viewer.id(), cursor, limit);
  }

  public Uni<MentorRepository.Assigned> assign(long mentorId, long studentId) {
    return AfterCommit.then(
            mentors.assign(mentorId, studentId), a -> cache.bump(CacheTags.mentor(mentorId)))
        .invoke(a -> LOG.infof("Mentor %d assigned to student %d", mentorId, studentId));
  }

  public Uni<Void> unassign(long mentorId, long studentId) {
    return AfterCommit.then(
            mentors.unassign(mentorId, studentId),
            done -> done ? cache.bump(CacheTags.mentor(mentorId)) : Uni.createFrom().voidItem())
        .map(
            done -> {
              if (!done) {
                throw ProblemException.notFound(
                    "No active assignment of this mentor to this student.");
              }
              LOG.infof("Mentor %d unassigned from student %d", mentorId, studentId);
              return null;
            })
        .replaceWithVoid();
  }
}
