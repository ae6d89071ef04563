package io.campus.auth;

import io.campus.platform.common.ProblemException;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The authenticated user behind the current request, as resolved by {@link BearerTokenMechanism}.
 */
public final class Caller {

  static final String ATTRIBUTE = "campus.user";
  static final String SESSION_ATTRIBUTE = "campus.session";
  static final String EMAIL_CONFIRMED_ATTRIBUTE = "campus.email-confirmed";

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

  /** The id of the caller's session (0 when unknown). */
  public static long sessionId(SecurityIdentity identity) {
    Long id = identity == null ? null : identity.getAttribute(SESSION_ATTRIBUTE);
    return id == null ? 0 : id;
  }

  /** Whether the caller has confirmed their address (as of their session's cached entry). */
  public static boolean emailConfirmed(SecurityIdentity identity) {
    return identity != null
        && Boolean.TRUE.equals(identity.getAttribute(EMAIL_CONFIRMED_ATTRIBUTE));
  }

  public static boolean isAdmin(UserView user) {
    return user != null && user.role() == Role.ADMIN;
  }
}
