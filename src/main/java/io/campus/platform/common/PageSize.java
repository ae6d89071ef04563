package io.campus.platform.common;

import jakarta.enterprise.context.ApplicationScoped;

/** Resolves the requested page size against the configured default and ceiling. */
@ApplicationScoped
public class PageSize {

  private final PaginationConfig config;

  public PageSize(PaginationConfig config) {
    this.config = config;
  }

  /** Parses the {@code limit} query parameter; absent means the default, anything invalid a 400. */
  public int resolve(String limit) {
    return parse(limit, config.defaultSize(), config.maxSize());
  }

  /** The same, for a listing with its own default and ceiling. */
  public static int parse(String limit, int defaultSize, int maxSize) {
    if (limit == null || limit.isBlank()) {
      return defaultSize;
    }
    int requested;
    try {
      requested = Integer.parseInt(limit.trim());
    } catch (NumberFormatException e) {
      requested = -1;
    }
    if (requested < 1 || requested > maxSize) {
      throw ProblemException.invalidField("limit", "must be between 1 and " + maxSize);
    }
    return requested;
  }

  /**
   * Cuts a fetched list of {@code limit + 1} rows to one page; the cursor is built from the last
   * row kept only when another row exists.
   */
  public static <T> Page<T> of(
      java.util.List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    java.util.List<T> items = rows.subList(0, limit);
    return new Page<>(java.util.List.copyOf(items), cursorOf.apply(items.get(limit - 1)));
  }
}
