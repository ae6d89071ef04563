package io.campus.user;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the API shows of a user account. */
@RegisterForReflection
public record UserView(long id, String email, String displayName, Role role) {}
