package io.campus.course;

import io.campus.auth.Caller;
import io.campus.platform.common.HttpCaching;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/courses")
@Tag(name = "courses")
@Produces(MediaType.APPLICATION_JSON)
public class CourseResource {

  /** Browsers and CDNs may reuse public catalogue responses this long, revalidating by ETag. */
  private static final int PUBLIC_MAX_AGE = 60;

  static final int DETAIL_SLUG_MAX = 80;

  /** Hibernate Validator's own message for {@code @Size(max = 80)}, which the other paths use. */
  static final String DETAIL_SLUG_SIZE_MESSAGE = "size must be between 0 and 80";

  private final CourseService courses;
  private final PageSize pageSize;
  private final CurrentIdentityAssociation identities;
  private final SecurityIdentity identity;
  private final HttpCaching caching;

  public CourseResource(
      CourseService courses,
      PageSize pageSize,
      CurrentIdentityAssociation identities,
      SecurityIdentity identity,
      HttpCaching caching) {
    this.courses = courses;
    this.pageSize = pageSize;
    this.identities = identities;
    this.identity = identity;
    this.caching = caching;
  }

  @GET
  @APIResponse(
      responseCode = "200",
      description = "One page of published courses",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CourseDtos.CoursePageSchema.class)))
  public Uni<RestResponse<byte[]>> browse(
      @Context Request request,
      @QueryParam("category") @Size(max = 60) String category,
      @QueryParam("level") String level,
      @QueryParam("sort") String sort,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return courses
        .browse(
            category == null || category.isBlank() ? null : category.trim(),
            parseLevel(level),
            CourseSort.parse(sort),
            cursor,
            pageSize.resolve(limit))
        .map(page -> caching.conditional(request, page, PUBLIC_MAX_AGE));
  }

  /** Paths under /api/courses that are not a course: no course may take one as its slug. */
  static final Set<String> ROUTE_SLUGS = Set.of("search");

  @GET
  @Path("/search")
  @APIResponse(
      responseCode = "200",
      description = "One page of published courses matching the query",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CourseDtos.CoursePageSchema.class)))
  public Uni<RestResponse<byte[]>> search(
      @Context Request request,
      @QueryParam("q") @NotNull @Size(min = 1, max = 200) String q,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    if (q.isBlank()) {
      throw ProblemException.invalidField("q", "must not be blank");
    }
    return courses
        .search(q.trim(), cursor, pageSize.resolve(limit))
        .map(page -> caching.conditional(request, page, PUBLIC_MAX_AGE));
  }

  @GET
  @Path("/{slug}")
  @APIResponse(
      responseCode = "200",
      description = "The course with its lessons",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CourseDtos.CourseDetail.class)))
  public Uni<RestResponse<byte[]>> detail(
      @Context Request request, @PathParam("slug") String slug) {
    // The hottest read: checked by hand, as @Size would have it, so no validation interceptor
    // wraps every call (CourseResourceTest pins both).
    if (slug.length() > DETAIL_SLUG_MAX) {
      throw ProblemException.invalidField("slug", DETAIL_SLUG_SIZE_MESSAGE);
    }
    // Public, but an instructor or admin may also see drafts: resolve the identity only here.
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .chain(viewer -> courses.detail(slug, Caller.orNull(viewer)))
        .map(
            course ->
                course.status() == CourseStatus.PUBLISHED
                    ? caching.conditional(request, course, PUBLIC_MAX_AGE)
                    : caching.uncached(course));
  }

  @POST
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = CourseDtos.CourseDetail.class)))
  public Uni<Response> create(@Valid @NotNull CourseDtos.CreateCourse body) {
    return courses
        .create(body, Caller.of(identity))
        .map(course -> Response.status(Response.Status.CREATED).entity(course).build());
  }

  @PUT
  @Path("/{slug}")
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<CourseDtos.CourseDetail> update(
      @PathParam("slug") @Size(max = 80) String slug,
      @Valid @NotNull CourseDtos.UpdateCourse body) {
    return courses.update(slug, body, Caller.of(identity));
  }

  @POST
  @Path("/{slug}/publish")
  @Authenticated
  public Uni<CourseDtos.CourseDetail> publish(@PathParam("slug") @Size(max = 80) String slug) {
    return courses.publish(slug, Caller.of(identity));
  }

  @POST
  @Path("/{slug}/unpublish")
  @Authenticated
  @Operation(
      summary = "Unpublish a course",
      description =
          "Instructor or admin: the course goes back to DRAFT, off the catalogue; new enrollments"
              + " are refused, enrolled students keep reading it. 422 unless it is published.")
  @APIResponse(
      responseCode = "200",
      description = "The course, now a draft",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CourseDtos.CourseDetail.class),
              examples = @ExampleObject(name = "unpublished", value = STATUS_EXAMPLE)))
  public Uni<CourseDtos.CourseDetail> unpublish(@PathParam("slug") @Size(max = 80) String slug) {
    return courses.unpublish(slug, Caller.of(identity));
  }

  @POST
  @Path("/{slug}/archive")
  @Authenticated
  @Operation(
      summary = "Archive a course",
      description =
          "Instructor or admin: the course leaves the catalogue; new enrollments are refused,"
              + " enrolled students keep reading it. Publishing it again is allowed.")
  @APIResponse(
      responseCode = "200",
      description = "The course, now archived",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CourseDtos.CourseDetail.class),
              examples = @ExampleObject(name = "archived", value = STATUS_EXAMPLE_ARCHIVED)))
  public Uni<CourseDtos.CourseDetail> archive(@PathParam("slug") @Size(max = 80) String slug) {
    return courses.archive(slug, Caller.of(identity));
  }

  private static final String STATUS_EXAMPLE =
      """
      {"id": 51, "slug": "intro-to-sql", "title": "Intro to SQL", "description": "",
       "category": "databases", "level": "BEGINNER", "status": "DRAFT", "instructorId": 7,
       "instructorName": "Ada", "lessonCount": 1, "publishedAt": "2026-11-02T10:00:00Z",
       "lessons": [{"id": 153, "position": 1, "title": "Select", "durationMinutes": 10,
                    "preview": true}]}""";

  private static final String STATUS_EXAMPLE_ARCHIVED =
      """
      {"id": 51, "slug": "intro-to-sql", "title": "Intro to SQL", "description": "",
       "category": "databases", "level": "BEGINNER", "status": "ARCHIVED", "instructorId": 7,
       "instructorName": "Ada", "lessonCount": 1, "publishedAt": "2026-11-02T10:00:00Z",
       "lessons": [{"id": 153, "position": 1, "title": "Select", "durationMinutes": 10,
                    "preview": true}]}""";

  @POST
  @Path("/{slug}/lessons")
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<CourseDtos.CourseDetail> addLessons(
      @PathParam("slug") @Size(max = 80) String slug, @Valid @NotNull CourseDtos.AddLessons body) {
    return courses.addLessons(slug, body, Caller.of(identity));
  }

  private static CourseLevel parseLevel(String level) {
    if (level == null || level.isBlank()) {
      return null;
    }
    try {
      return CourseLevel.valueOf(level.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField(
          "level", "must be one of beginner, intermediate, advanced");
    }
  }
}
