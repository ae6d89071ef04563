package io.campus.mentor;

import io.campus.auth.Caller;
import io.campus.common.Page;
import io.campus.common.ProblemException;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

@ApplicationScoped
public class MentorService {

  private static final Logger LOG = Logger.getLogger(MentorService.class);

  private final MentorRepository mentors;

  public MentorService(MentorRepository mentors) {
    this.mentors = mentors;
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
    return mentors.students(mentorId, cursor, limit);
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
    return mentors
        .assign(mentorId, studentId)
        .invoke(a -> LOG.infof("Mentor %d assigned to student %d", mentorId, studentId));
  }

  public Uni<Void> unassign(long mentorId, long studentId) {
    return mentors
        .unassign(mentorId, studentId)
        .map(
            done -> {
              if (!done) {
                throw ProblemException.notFound(
                    "No active assignment of this mentor to this student.");
              }
              LOG.infof("Mentor %d unassigned from student %d", mentorId, studentId);
              return null;
            });
  }
}
