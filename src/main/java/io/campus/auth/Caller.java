package io.campus.auth;

import io.campus.common.ProblemException;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The authenticated user behind the current request, as resolved by {@link BearerTokenMechanism}.
 */
public final class Caller {

  static final String ATTRIBUTE = "campus.user";

  private Caller() {}

  public static UserView of(SecurityIdentity identity) {
    UserView user = identity == null ? null : identity.getAttribute(ATTRIBUTE);
    if (user == null) {
      throw ProblemException.unauthorized("A valid bearer token is required for this call.");
    }
    return user;
  }

  /** The caller, or null for an anonymous request. */
  public static UserView orNull(SecurityIdentity identity) {
    return identity == null || identity.isAnonymous() ? null : identity.getAttribute(ATTRIBUTE);
  }

  public static boolean isAdmin(UserView user) {
    return user != null && user.role() == Role.ADMIN;
  }
}
