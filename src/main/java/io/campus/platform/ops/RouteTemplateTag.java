package io.campus.platform.ops;

import io.campus.platform.common.RouteTemplates;
import io.micrometer.core.instrument.Tags;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;
import jakarta.inject.Singleton;

/**
 * Tags every HTTP request that has a route template with that template, whatever its status.
 *
 * <p>Quarkus tags a 4xx (with {@code suppress4xx-errors}) or a 404 with its template only when the
 * template differs from the path, so every refusal on a route without path parameters — a 401 or
 * 409 on {@code /api/enrollments}, a 404 the service raised, a 429 on {@code /api/auth/login} — was
 * counted under {@code uri="UNKNOWN"} or {@code uri="NOT_FOUND"}, outside the dashboards and SLO
 * rules, which select {@code uri=~"/api/.*"}. A template is a route's, never a path a client chose,
 * so the number of series stays bounded; requests without one (no route, a wrong method) keep
 * Quarkus' placeholders. The tags contributed here replace Quarkus' {@code uri} tag.
 */
@Singleton
public class RouteTemplateTag implements HttpServerMetricsTagsContributor {

  @Override
  public Tags contribute(Context context) {
    return context.requestContextLocalData(RouteTemplates.KEY) instanceof String template
        ? Tags.of("uri", normalized(template))
        : Tags.empty();
  }

  /** As Quarkus spells a template in the tag: one leading slash, no trailing one. */
  static String normalized(String template) {
    int start = 0;
    while (start < template.length() && template.charAt(start) == '/') {
      start++;
    }
    int end = template.length();
    while (end > start && template.charAt(end - 1) == '/') {
      end--;
    }
    return "/" + template.substring(start, end);
  }
}
