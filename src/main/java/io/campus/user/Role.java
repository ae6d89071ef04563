package io.campus.user;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public enum Role {
  STUDENT,
  MENTOR,
  ADMIN
}
