package io.campus.course;

import io.campus.platform.common.ProblemException;
import java.util.Locale;

/** Orderings of the course browse listing; each has a keyset and an index that serves it. */
public enum CourseSort {
  NEWEST,
  TITLE;

  static CourseSort parse(String value) {
    if (value == null || value.isBlank()) {
      return NEWEST;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField("sort", "must be one of newest, title");
    }
  }
}
