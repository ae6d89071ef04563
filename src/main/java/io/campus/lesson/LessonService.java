package io.campus.lesson;

import io.campus.auth.Caller;
import io.campus.course.CourseService;
import io.campus.course.CourseStatus;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reading and managing lessons. The content of a lesson is cached per lesson and shared by every
 * reader; what belongs to one reader (enrollment, progress) is never cached: an enrolled reader
 * costs exactly one statement, which also records the visit.
 */
@ApplicationScoped
public class LessonService {

  static final CacheSpec<LessonDtos.LessonContent> CONTENT =
      CacheSpec.of("lesson", LessonDtos.LessonContent.class);

  private final LessonRepository lessons;
  private final CourseService courses;
  private final TwoLevelCache cache;

  public LessonService(LessonRepository lessons, CourseService courses, TwoLevelCache cache) {
    this.lessons = lessons;
    this.courses = courses;
    this.cache = cache;
  }

  /**
   * The instructor and admins read any lesson; an enrolled user (not cancelled) reads every lesson
   * of the course whatever its status, and opening it marks it in progress; anyone reads preview
   * lessons of a published course. Unpublished courses stay hidden (404) from everyone else.
   */
  public Uni<LessonDtos.LessonRead> read(String slug, int position, UserView reader) {
    return content(slug, position)
        .chain(
            lesson -> {
              if (lesson == null) {
                return Uni.createFrom().failure(notFound());
              }
              if (reader != null
                  && (Caller.isAdmin(reader) || reader.id() == lesson.instructorId())) {
                return Uni.createFrom().item(view(lesson, null));
              }
              boolean open = lesson.courseStatus() == CourseStatus.PUBLISHED && lesson.preview();
              if (reader == null) {
                if (open) {
                  return Uni.createFrom().item(view(lesson, null));
                }
                return Uni.createFrom()
                    .failure(
                        lesson.courseStatus() == CourseStatus.PUBLISHED
                            ? ProblemException.unauthorized(
                                "Log in and enroll in the course to read this lesson.")
                            : notFound());
              }
              return lessons
                  .open(reader.id(), lesson.courseId(), lesson.lessonId())
                  .map(
                      opened -> {
                        if (opened.enrolled() || open) {
                          return view(lesson, opened.progress());
                        }
                        if (lesson.courseStatus() != CourseStatus.PUBLISHED) {
                          throw notFound();
                        }
                        throw ProblemException.forbidden(
                            "Enroll in the course to read this lesson.");
                      });
            });
  }

  private Uni<LessonDtos.LessonContent> content(String slug, int position) {
    String tag = CacheTags.courseLessons(slug);
    return cache
        .version(tag)
        .chain(
            version ->
                cache.get(
                    CONTENT,
                    CacheKey.of(version, slug, position),
                    () -> lessons.content(slug, position)));
  }

  private static LessonDtos.LessonRead view(LessonDtos.LessonContent l, String progress) {
    return new LessonDtos.LessonRead(
        l.courseId(),
        l.courseSlug(),
        l.lessonId(),
        l.position(),
        l.title(),
        l.content(),
        l.durationMinutes(),
        l.preview(),
        l.previous(),
        l.next(),
        progress);
  }

  private static ProblemException notFound() {
    return ProblemException.notFound("No lesson at this position of a course you can see.");
  }

  // ------------------------------------------------------------------------------ management

  /**
   * Edits a lesson of a course in any status; readers on every instance see the change. With {@code
   * lessonId}, only if that lesson is the one at the position (412 otherwise).
   */
  public Uni<LessonDtos.LessonRead> edit(
      String slug, int position, Long lessonId, LessonDtos.EditLesson change, UserView caller) {
    requireInstructorRole(caller);
    return AfterCommit.then(
            lessons.edit(slug, position, lessonId, Caller.isAdmin(caller), caller.id(), change),
            edited -> courses.lessonsChanged(slug))
        .chain(() -> read(slug, position, caller));
  }

  /**
   * Deletes a lesson of a draft nobody is enrolled in; later lessons move up one position. With
   * {@code lessonId}, only if that lesson is the one at the position (412 otherwise).
   */
  public Uni<Void> delete(String slug, int position, Long lessonId, UserView caller) {
    requireInstructorRole(caller);
    return AfterCommit.then(
        lessons.delete(slug, position, lessonId, Caller.isAdmin(caller), caller.id()),
        deleted -> courses.lessonsChanged(slug));
  }

  /** Puts the lessons of a draft in the given order (every lesson id exactly once). */
  public Uni<Void> reorder(String slug, List<Long> lessonIds, UserView caller) {
    requireInstructorRole(caller);
    return AfterCommit.then(
        lessons.reorder(slug, lessonIds, Caller.isAdmin(caller), caller.id()),
        reordered -> courses.lessonsChanged(slug));
  }

  private static void requireInstructorRole(UserView caller) {
    if (caller.role() == Role.STUDENT) {
      throw ProblemException.forbidden("Only mentors and admins manage courses.");
    }
  }
}
