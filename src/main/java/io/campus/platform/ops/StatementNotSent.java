package io.campus.platform.ops;

import io.vertx.core.VertxException;

/**
 * A statement the SQL client failed without sending it, because its connection had closed (a
 * PostgreSQL restart, a failover, a connection the server ended). The client reports these as bare
 * throwables told apart only by their message; as this exception they are a connection failure like
 * any other: a read is tried again ({@link DbGuard}), a request that still fails gets a 503.
 */
public final class StatementNotSent extends VertxException {

  private static final String[] MESSAGES = {
    // scheduled on a connection already closed
    "Connection is not active now",
    // queued on a connection that closed before writing it
    "Pending requests failed to be sent due to connection has been closed",
  };

  private StatementNotSent(Throwable cause) {
    super("Statement not sent, its connection had closed: " + cause.getMessage(), cause, true);
  }

  /** The failure as this exception when it is one of those, else the failure itself. */
  static Throwable classify(Throwable failure) {
    return matches(failure) ? new StatementNotSent(failure) : failure;
  }

  /** Whether the failure, or one of its causes, is the client's report of a statement not sent. */
  public static boolean matches(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatementNotSent) {
        return true;
      }
      String message = t.getMessage();
      if (t instanceof io.vertx.core.impl.NoStackTraceThrowable && message != null) {
        for (String known : MESSAGES) {
          if (message.startsWith(known)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
