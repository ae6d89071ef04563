package io.campus.course;

import io.campus.platform.cache.CacheWarmer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Warms the first browse page and the detail of every published course. */
@ApplicationScoped
public class CourseCacheWarmer implements CacheWarmer {

  private final CourseService courses;
  private final Pool pool;

  public CourseCacheWarmer(CourseService courses, Pool pool) {
    this.courses = courses;
    this.pool = pool;
  }

  @Override
  public String name() {
    return "courses";
  }

  @Override
  public Uni<Integer> warm(int concurrency) {
    return pool.query(
            "select slug from courses where status = 'PUBLISHED' order by published_at desc")
        .execute()
        .chain(
            rows -> {
              List<String> slugs = new ArrayList<>(rows.size());
              rows.forEach(row -> slugs.add(row.getString("slug")));
              return courses
                  .browse(null, null, CourseSort.NEWEST, null, 20)
                  .chain(
                      () ->
                          Multi.createFrom()
                              .iterable(slugs)
                              .onItem()
                              .transformToUni(slug -> courses.detail(slug, null))
                              .merge(concurrency)
                              .collect()
                              .asList())
                  .map(details -> details.size() + 1);
            });
  }
}
