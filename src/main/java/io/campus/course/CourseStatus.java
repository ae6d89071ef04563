package io.campus.course;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public enum CourseStatus {
  DRAFT,
  PUBLISHED,
  ARCHIVED
}
