package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

  /**
   * The database breakers come into being with their guard's first unit: until then readiness
   * reports them closed. Asking for them as if they always existed made the check itself fail, and
   * an instance that had not yet served a database unit was never ready.
   */
  @Test
  void aBreakerNotYetCreatedIsReportedClosed() {
    CircuitBreakerMaintenance known =
        new Known(Map.of("campus-db-write", CircuitBreakerState.OPEN));

    assertThat(HealthChecks.state(known, "campus-db-read")).isEqualTo("closed");
    assertThat(HealthChecks.state(known, "campus-db-write")).isEqualTo("open");
  }

  /** Answers as SmallRye Fault Tolerance does: an unknown name is an IllegalArgumentException. */
  private record Known(Map<String, CircuitBreakerState> states)
      implements CircuitBreakerMaintenance {
    @Override
    public CircuitBreakerState currentState(String name) {
      CircuitBreakerState state = states.get(name);
      if (state == null) {
        throw new IllegalArgumentException("Circuit breaker '" + name + "' doesn't exist");
      }
      return state;
    }

    @Override
    public void onStateChange(String name, Consumer<CircuitBreakerState> callback) {}

    @Override
    public void reset(String name) {}

    @Override
    public void resetAll() {}
  }
}
