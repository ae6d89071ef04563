package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures mean a dependency is gone (503 with Retry-After) rather than a bug (500). */
class ProblemMapperTest {

  @Test
  void aConnectionLostOnReadOrWriteIsUnavailability() {
    // A reset while writing to PostgreSQL surfaces from NIO as a plain IOException.
    assertThat(ProblemMapper.unavailable(new IOException("Connection reset by peer"))).isTrue();
    assertThat(
            ProblemMapper.unavailable(
                new CompletionException(new SocketException("Connection refused"))))
        .isTrue();
  }

  /**
   * A statement sent on a connection that PostgreSQL closed a moment before (a restart): the client
   * fails it with this message, not with an exception type of its own.
   */
  @Test
  void aStatementOnAClosedConnectionIsUnavailability() {
    assertThat(
            ProblemMapper.unavailable(
                new io.vertx.core.impl.NoStackTraceThrowable(
                    "Connection is not active now, current status: CLOSED")))
        .isTrue();
    // Queued on the connection when it closed, before it was written.
    assertThat(
            ProblemMapper.unavailable(
                new io.vertx.core.impl.NoStackTraceThrowable(
                    "Pending requests failed to be sent due to connection has been closed.")))
        .isTrue();
  }

  @Test
  void aProgrammingErrorIsNot() {
    assertThat(ProblemMapper.unavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(ProblemMapper.unavailable(new NullPointerException())).isFalse();
  }
}
