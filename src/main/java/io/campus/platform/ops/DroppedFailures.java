package io.campus.platform.ops;

import io.campus.platform.common.ProblemException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Failures Mutiny could not deliver because their request had been cancelled first: the client
 * closed its connection (a timeout on its side, a crowd of connections going away) while the work
 * was still running. Quarkus logs every one at ERROR. An answer of ours (a {@link
 * ProblemException}: 503 overloaded, 404, ...) that nobody waits for any more is not an error of
 * the service, so it is logged at DEBUG; anything else still gets the ERROR with its stack trace.
 */
@Singleton
public class DroppedFailures {

  private static final Logger LOG = Logger.getLogger(DroppedFailures.class);

  /** What the running service installs. */
  static final Consumer<Throwable> HANDLER =
      handler(failure -> LOG.error("Mutiny had to drop the following exception", failure));

  void install(@Observes StartupEvent start) {
    Infrastructure.setDroppedExceptionHandler(HANDLER);
  }

  static Consumer<Throwable> handler(Consumer<Throwable> unexpected) {
    return failure -> {
      if (failure instanceof ProblemException problem) {
        LOG.debugf(
            "Answer %d for a request whose client had gone: %s",
            problem.status(), problem.getMessage());
      } else {
        unexpected.accept(failure);
      }
    };
  }
}
