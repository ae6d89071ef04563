package io.campus.course;

public enum CourseLevel {
  BEGINNER,
  INTERMEDIATE,
  ADVANCED
}
