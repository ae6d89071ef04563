package io.campus.course;

import com.fasterxml.jackson.core.type.TypeReference;
import io.campus.auth.Caller;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.ops.AfterCommit;
import io.campus.platform.ops.DbWrite;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

@ApplicationScoped
public class CourseService {

  private static final Logger LOG = Logger.getLogger(CourseService.class);

  static final CacheSpec<CourseDtos.CourseDetail> DETAILS =
      CacheSpec.of("course-detail", CourseDtos.CourseDetail.class);
  static final CacheSpec<Page<CourseDtos.CourseSummary>> PAGES =
      CacheSpec.of("course-page", new TypeReference<Page<CourseDtos.CourseSummary>>() {});

  private static final String LESSONS_APPENDED = Sql.load("course/lessons-appended");

  private final CourseRepository catalogue;
  private final TwoLevelCache cache;

  public CourseService(CourseRepository catalogue, TwoLevelCache cache) {
    this.catalogue = catalogue;
    this.cache = cache;
  }

  public Uni<Page<CourseDtos.CourseSummary>> browse(
      String category, CourseLevel level, CourseSort sort, String cursor, int limit) {
    return cache
        .version(CacheTags.CATALOGUE)
        .chain(
            version ->
                cache.get(
                    PAGES,
                    CacheKey.of("b", version, category, level, sort, cursor, limit),
                    () -> catalogue.browse(category, level, sort, cursor, limit)));
  }

  public Uni<Page<CourseDtos.CourseSummary>> search(String query, String cursor, int limit) {
    return cache
        .version(CacheTags.CATALOGUE)
        .chain(
            version ->
                cache.get(
                    PAGES,
                    CacheKey.of("s", version, query, cursor, limit),
                    () -> catalogue.search(query, cursor, limit)));
  }

  /**
   * Published courses are public; drafts and archived ones only for their instructor, admins and
   * the students enrolled in them (not cancelled), who keep reading their lessons: one more
   * statement, for such a student only.
   */
  public Uni<CourseDtos.CourseDetail> detail(String slug, UserView viewer) {
    return cache
        .get(DETAILS, CacheKey.of(slug), () -> catalogue.findDetail(slug))
        .chain(
            course -> {
              if (course == null) {
                return Uni.createFrom().failure(unknownSlug());
              }
              if (course.status() == CourseStatus.PUBLISHED
                  || canManage(viewer, course.instructorId())) {
                return Uni.createFrom().item(course);
              }
              if (viewer == null) {
                return Uni.createFrom().failure(unknownSlug());
              }
              return catalogue
                  .isEnrolled(viewer.id(), course.id())
                  .map(
                      enrolled -> {
                        if (!enrolled) {
                          throw unknownSlug();
                        }
                        return course;
                      });
            });
  }

  private static ProblemException unknownSlug() {
    return ProblemException.notFound("No course with this slug.");
  }

  // Writes run in a Hibernate Reactive transaction; the response is the committed course, read back
  // with the same single statement as the public detail.

  public Uni<CourseDtos.CourseDetail> create(CourseDtos.CreateCourse request, UserView caller) {
    if (CourseResource.ROUTE_SLUGS.contains(request.slug())) {
      // its detail could never be reached: the route answers instead
      return Uni.createFrom()
          .failure(
              ProblemException.invalidField(
                  "slug", "is taken by the API itself (/api/courses/" + request.slug() + ")"));
    }
    return changed(createTx(request, caller), request.slug());
  }

  public Uni<CourseDtos.CourseDetail> update(
      String slug, CourseDtos.UpdateCourse request, UserView caller) {
    return changed(updateTx(slug, request, caller), slug);
  }

  public Uni<CourseDtos.CourseDetail> publish(String slug, UserView caller) {
    return changed(publishTx(slug, caller), slug);
  }

  /**
   * Appends lessons; the students' progress, recomputed in the same transaction, shows at once in
   * their dashboards (catalogue tag) and in the course's analytics (its insights tag). Enrollment
   * lists, course students and certificate eligibility are read uncached; mentors' student lists
   * show counts of completed lessons and courses, which an append does not change.
   */
  public Uni<CourseDtos.CourseDetail> addLessons(
      String slug, CourseDtos.AddLessons request, UserView caller) {
    return AfterCommit.then(
            addLessonsTx(slug, request, caller),
            courseId ->
                cache.bump(CacheTags.courseInsights(courseId)).chain(() -> lessonsChanged(slug)))
        .chain(() -> catalogue.findDetail(slug));
  }

  /** Takes a published course off the catalogue; enrolled students keep reading it. */
  public Uni<CourseDtos.CourseDetail> unpublish(String slug, UserView caller) {
    return changed(statusTx(slug, caller, CourseStatus.DRAFT), slug);
  }

  /** Archives a course: off the catalogue for good, enrolled students keep reading it. */
  public Uni<CourseDtos.CourseDetail> archive(String slug, UserView caller) {
    return changed(statusTx(slug, caller, CourseStatus.ARCHIVED), slug);
  }

  /** A change of the course: once committed, invalidated everywhere, then read back. */
  private Uni<CourseDtos.CourseDetail> changed(Uni<?> change, String slug) {
    return AfterCommit.then(change, ignored -> lessonsChanged(slug))
        .chain(() -> catalogue.findDetail(slug));
  }

  /**
   * After a committed change of a course or its lessons: the detail, catalogue pages and the
   * course's cached lessons (which hold its status) are invalidated on every instance.
   */
  public Uni<Void> lessonsChanged(String slug) {
    return cache
        .evict(DETAILS, CacheKey.of(slug))
        .chain(() -> cache.bumpAll(List.of(CacheTags.CATALOGUE, CacheTags.courseLessons(slug))));
  }

  /**
   * After an instructor's display name changed (renamed, account deleted), committed: the cached
   * details of their courses and the catalogue pages show the new name at once. Should that fail,
   * the pages still show the old name until they expire.
   */
  public Uni<Void> instructorRenamed(long instructorId) {
    return catalogue
        .slugsInstructedBy(instructorId)
        .chain(
            slugs ->
                slugs.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : cache
                        .evict(DETAILS, slugs.stream().map(CacheKey::of).toArray(String[]::new))
                        .chain(() -> cache.bump(CacheTags.CATALOGUE)))
        .onFailure()
        .recoverWithUni(
            failure -> {
              LOG.warnf(
                  "Cached course pages of instructor %d keep their old name until they expire: %s",
                  instructorId, failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  @DbWrite
  @WithTransaction
  Uni<Void> statusTx(String slug, UserView caller, CourseStatus target) {
    return managed(slug, caller)
        .chain(
            course -> {
              if (course.status == target) {
                return Uni.createFrom().voidItem();
              }
              if (target == CourseStatus.DRAFT && course.status != CourseStatus.PUBLISHED) {
                return Uni.createFrom()
                    .failure(
                        ProblemException.unprocessable(
                            "Only a published course can be unpublished."));
              }
              course.status = target;
              course.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
              LOG.infof("Course %s set to %s by user %d", slug, target, caller.id());
              return Uni.createFrom().voidItem();
            });
  }

  @DbWrite
  @WithTransaction
  Uni<Void> createTx(CourseDtos.CreateCourse request, UserView caller) {
    requireInstructorRole(caller);
    return Course.count("slug", request.slug())
        .chain(
            taken -> {
              if (taken > 0) {
                return Uni.createFrom()
                    .failure(ProblemException.conflict("A course with this slug exists."));
              }
              OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
              Course course = new Course();
              course.slug = request.slug();
              course.title = request.title().trim();
              course.description = request.description() == null ? "" : request.description();
              course.category = request.category().trim();
              course.level = request.level();
              course.status = CourseStatus.DRAFT;
              course.instructorId = caller.id();
              course.createdAt = now;
              course.updatedAt = now;
              List<CourseDtos.LessonInput> inputs =
                  request.lessons() == null ? List.of() : request.lessons();
              course.lessonCount = inputs.size();
              return course
                  .<Course>persist()
                  .chain(saved -> persistLessons(saved, inputs, 1))
                  .invoke(
                      ignored ->
                          LOG.infof("Course %s created by user %d", course.slug, caller.id()))
                  .replaceWithVoid();
            });
  }

  @DbWrite
  @WithTransaction
  Uni<Void> updateTx(String slug, CourseDtos.UpdateCourse request, UserView caller) {
    return managed(slug, caller)
        .chain(
            course -> {
              course.title = request.title().trim();
              course.description = request.description() == null ? "" : request.description();
              course.category = request.category().trim();
              course.level = request.level();
              course.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
              return Uni.createFrom().voidItem();
            });
  }

  @DbWrite
  @WithTransaction
  Uni<Void> publishTx(String slug, UserView caller) {
    return managed(slug, caller)
        .chain(
            course -> {
              if (course.status == CourseStatus.PUBLISHED) {
                return Uni.createFrom().voidItem();
              }
              if (course.status == CourseStatus.ARCHIVED) {
                return Uni.createFrom()
                    .failure(
                        ProblemException.unprocessable(
                            "An archived course stays archived; create a new course instead."));
              }
              if (course.lessonCount == 0) {
                return Uni.createFrom()
                    .failure(
                        ProblemException.unprocessable(
                            "A course needs at least one lesson before it is published."));
              }
              OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
              course.status = CourseStatus.PUBLISHED;
              course.publishedAt = now;
              course.updatedAt = now;
              LOG.infof("Course %s published by user %d", slug, caller.id());
              return Uni.createFrom().voidItem();
            });
  }

  /** Returns the course's id. */
  @DbWrite
  @WithTransaction
  Uni<Long> addLessonsTx(String slug, CourseDtos.AddLessons request, UserView caller) {
    return managed(slug, caller)
        .chain(
            course -> {
              if (course.status == CourseStatus.ARCHIVED) {
                // it cannot be published again: new lessons would only shrink its students'
                // progress share
                throw ProblemException.unprocessable(
                    "An archived course takes no new lessons; its existing lessons can still be"
                        + " edited.");
              }
              if (course.lessonCount + request.lessons().size()
                  > CourseDtos.MAX_LESSONS_PER_COURSE) {
                throw ProblemException.unprocessable(
                    "A course has at most %d lessons; this one has %d, so %d more fit."
                        .formatted(
                            CourseDtos.MAX_LESSONS_PER_COURSE,
                            course.lessonCount,
                            CourseDtos.MAX_LESSONS_PER_COURSE - course.lessonCount));
              }
              int first = course.lessonCount + 1;
              course.lessonCount += request.lessons().size();
              course.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
              return persistLessons(course, request.lessons(), first)
                  .chain(ignored -> progressRecomputed(course))
                  .replaceWith(course.id);
            });
  }

  /**
   * Every enrollment's progress as the share of the course's new lesson count, in the append's
   * transaction, so no student ever reads the old share of a longer course.
   */
  private static Uni<Integer> progressRecomputed(Course course) {
    return Course.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(LESSONS_APPENDED)
                    .setParameter("course", course.id)
                    .setParameter("lessons", course.lessonCount)
                    .executeUpdate());
  }

  /** Loads a course for change, locked, checking that the caller may manage it. */
  private Uni<Course> managed(String slug, UserView caller) {
    requireInstructorRole(caller);
    return Course.<Course>find("slug", slug)
        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
        .firstResult()
        .map(
            course -> {
              // another mentor's unpublished course (draft or archived) is as unknown to them
              // as it is in the catalogue and its detail
              if (course == null
                  || (course.status != CourseStatus.PUBLISHED
                      && !canManage(caller, course.instructorId))) {
                throw unknownSlug();
              }
              if (!canManage(caller, course.instructorId)) {
                throw ProblemException.forbidden(
                    "Only the course's instructor or an admin may change it.");
              }
              return course;
            });
  }

  private static Uni<List<Lesson>> persistLessons(
      Course course, List<CourseDtos.LessonInput> inputs, int firstPosition) {
    if (inputs.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Lesson> lessons = new ArrayList<>(inputs.size());
    int position = firstPosition;
    for (CourseDtos.LessonInput input : inputs) {
      Lesson lesson = new Lesson();
      lesson.courseId = course.id;
      lesson.position = position++;
      lesson.title = input.title().trim();
      lesson.content = input.content() == null ? "" : input.content();
      lesson.durationMinutes = input.durationMinutes() == null ? 0 : input.durationMinutes();
      lesson.preview = Boolean.TRUE.equals(input.preview());
      lessons.add(lesson);
    }
    // One batched insert (hibernate statement batching), not a statement per lesson.
    return Lesson.persist(lessons).replaceWith(lessons);
  }

  private static void requireInstructorRole(UserView caller) {
    if (caller.role() == Role.STUDENT) {
      throw ProblemException.forbidden("Only mentors and admins manage courses.");
    }
  }

  private static boolean canManage(UserView viewer, long instructorId) {
    return viewer != null && (Caller.isAdmin(viewer) || viewer.id() == instructorId);
  }
}
