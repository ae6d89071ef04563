package io.campus.progress;

/**
 * What an activity event records, stored as its name in activity_events.type, with the kind of
 * subject its subject_id points at (activity_events.subject_type). The names are part of the API:
 * clients see them in the feed and the dashboard.
 */
public enum ActivityType {
  ENROLLED(Subject.COURSE),
  UNENROLLED(Subject.COURSE),
  LESSON_COMPLETED(Subject.LESSON),
  LESSON_UNCOMPLETED(Subject.LESSON),
  COURSE_COMPLETED(Subject.COURSE),
  ASSESSED(Subject.ASSESSMENT),
  ACHIEVEMENT_AWARDED(Subject.ACHIEVEMENT),
  CERTIFICATE_ISSUED(Subject.CERTIFICATE),
  CERTIFICATE_REVOKED(Subject.CERTIFICATE);

  /** What an event's subject_id points at, stored as its name in activity_events.subject_type. */
  public enum Subject {
    COURSE,
    LESSON,
    ASSESSMENT,
    ACHIEVEMENT,
    CERTIFICATE
  }

  private final Subject subject;

  ActivityType(Subject subject) {
    this.subject = subject;
  }

  public Subject subject() {
    return subject;
  }
}
