package io.campus.audit;

import io.campus.auth.LoginThrottle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One admin action or security event for the {@link AuditLog}. {@code before} and {@code after} are
 * anything Jackson can write (maps, records, a Vert.x {@code JsonObject}), or null. {@code actorId}
 * is null when nobody is logged in (a failed login).
 */
public record AuditEvent(
    Long actorId, String action, String targetType, String targetId, Object before, Object after) {

  public static final String LOGIN_FAILED = "auth.login-failed";
  public static final String LOGIN_LOCKED = "auth.login-locked";
  public static final String ROLE_CHANGED = "user.role-changed";
  public static final String USER_DISABLED = "user.disabled";
  public static final String USER_ENABLED = "user.enabled";
  public static final String QUERY_CANCELLED = "db.query-cancelled";
  public static final String CACHE_INVALIDATED = "cache.invalidated";
  public static final String JOB_TRIGGERED = "job.triggered";

  /** Target type of an account known only by the email someone typed: its SHA-256, never raw. */
  public static final String EMAIL_HASH = "email-sha256";

  public AuditEvent {
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("an audit event needs an action");
    }
  }

  public static AuditEvent of(
      Long actorId,
      String action,
      String targetType,
      Object targetId,
      Object before,
      Object after) {
    return new AuditEvent(
        actorId,
        action,
        targetType,
        targetId == null ? null : String.valueOf(targetId),
        before,
        after);
  }

  /**
   * A failed login: the account's id when it exists, else the hash of the normalised email (the raw
   * email of an unknown account and the password are never stored).
   */
  public static AuditEvent loginFailed(Long userId, String email, String reason) {
    return userId != null
        ? of(null, LOGIN_FAILED, "user", userId, null, java.util.Map.of("reason", reason))
        : of(
            null,
            LOGIN_FAILED,
            EMAIL_HASH,
            emailHash(email),
            null,
            java.util.Map.of("reason", reason));
  }

  /** SHA-256 (hex) of the email normalised as the login throttle keys accounts. */
  public static String emailHash(String email) {
    String normalised = LoginThrottle.accountKey(email);
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(normalised.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
