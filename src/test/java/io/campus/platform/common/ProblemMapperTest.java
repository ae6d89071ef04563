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

  @Test
  void aProgrammingErrorIsNot() {
    assertThat(ProblemMapper.unavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(ProblemMapper.unavailable(new NullPointerException())).isFalse();
  }
}
