package io.campus.user;

public enum Role {
  STUDENT,
  MENTOR,
  ADMIN
}
