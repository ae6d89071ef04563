package io.campus.course;

public enum CourseStatus {
  DRAFT,
  PUBLISHED,
  ARCHIVED
}
