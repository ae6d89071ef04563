package io.campus.enrollment;

import io.campus.auth.Caller;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.progress.ProgressConfig;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

@ApplicationScoped
public class EnrollmentService {

  private static final Logger LOG = Logger.getLogger(EnrollmentService.class);

  private final EnrollmentRepository enrollments;
  private final ProgressConfig progress;
  private final TwoLevelCache cache;

  public EnrollmentService(
      EnrollmentRepository enrollments, ProgressConfig progress, TwoLevelCache cache) {
    this.enrollments = enrollments;
    this.progress = progress;
    this.cache = cache;
  }

  public Uni<EnrollmentDtos.EnrollmentView> enroll(UserView caller, long courseId) {
    return AfterCommit.then(
            enrollments.enroll(caller.id(), courseId),
            enrolled -> cache.bumpAll(userAndMentors(caller.id(), enrolled.mentorIds())))
        .invoke(e -> LOG.infof("User %d enrolled in course %d", caller.id(), courseId))
        .map(EnrollmentRepository.Enrolled::view);
  }

  /** The user's dashboard and feed, and their mentors' student lists. */
  private static List<String> userAndMentors(long userId, List<Long> mentorIds) {
    List<String> tags = new ArrayList<>();
    tags.add(CacheTags.user(userId));
    mentorIds.forEach(m -> tags.add(CacheTags.mentor(m)));
    return tags;
  }

  public Uni<Page<EnrollmentDtos.EnrollmentView>> list(
      UserView viewer, long userId, String cursor, int limit) {
    boolean trusted = viewer.id() == userId || Caller.isAdmin(viewer);
    if (!trusted && viewer.role() != Role.MENTOR) {
      return Uni.createFrom()
          .failure(ProblemException.forbidden("You may not see this user's enrollments."));
    }
    return enrollments.list(userId, trusted, viewer.id(), cursor, limit);
  }

  public Uni<EnrollmentDtos.LessonCompletion> completeLesson(UserView caller, long lessonId) {
    return AfterCommit.then(
            enrollments.completeLesson(
                caller.id(), lessonId, progress.pointsPerLesson(), progress.pointsPerCourse()),
            done -> {
              if (!done.view().newlyCompleted()) {
                return Uni.createFrom().voidItem();
              }
              if (done.view().courseCompleted()) {
                LOG.infof("User %d completed course %d", caller.id(), done.view().courseId());
              }
              return cache.bumpAll(userAndMentors(caller.id(), done.mentorIds()));
            })
        .map(EnrollmentRepository.Completion::view);
  }

  /**
   * Leaves a course: the enrollment is CANCELLED, progress is kept and re-enrolling resumes it.
   * Idempotent; the user's dashboard, their mentors' lists and the course's figures are refreshed.
   */
  public Uni<Void> unenroll(UserView caller, long courseId) {
    return AfterCommit.then(
            enrollments.unenroll(caller.id(), courseId),
            left -> {
              if (!left.cancelled()) {
                return Uni.createFrom().voidItem();
              }
              LOG.infof("User %d left course %d", caller.id(), courseId);
              List<String> tags = userAndMentors(caller.id(), left.mentorIds());
              tags.add(CacheTags.courseInsights(courseId));
              return cache.bumpAll(tags);
            })
        .replaceWithVoid();
  }

  public Uni<EnrollmentDtos.Resume> resume(UserView caller, long courseId) {
    return enrollments.resume(caller.id(), courseId);
  }

  public Uni<EnrollmentDtos.CompletionUndone> undoCompletion(UserView caller, long lessonId) {
    return AfterCommit.then(
            enrollments.undoCompletion(
                caller.id(), lessonId, progress.pointsPerLesson(), progress.pointsPerCourse()),
            done -> {
              if (!done.view().undone()) {
                return Uni.createFrom().voidItem();
              }
              List<String> tags = userAndMentors(caller.id(), done.mentorIds());
              tags.add(CacheTags.courseInsights(done.view().courseId()));
              return cache.bumpAll(tags);
            })
        .map(EnrollmentRepository.Undone::view);
  }
}
