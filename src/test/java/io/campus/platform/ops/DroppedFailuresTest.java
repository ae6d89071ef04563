package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DroppedFailuresTest {

  private final List<Throwable> errors = new ArrayList<>();

  /** A running service in this JVM (the @QuarkusTests) keeps its own handler. */
  @AfterEach
  void restore() {
    Infrastructure.setDroppedExceptionHandler(DroppedFailures.HANDLER);
  }

  @Test
  void anAnswerForARequestWhoseClientLeftIsNotAnError() {
    Infrastructure.setDroppedExceptionHandler(DroppedFailures.handler(errors::add));

    failAfterCancellation(DbGuard.overloaded());

    assertThat(errors).isEmpty();
  }

  @Test
  void anyOtherDroppedFailureIsStillAnError() {
    Infrastructure.setDroppedExceptionHandler(DroppedFailures.handler(errors::add));
    IllegalStateException bug = new IllegalStateException("not an answer of ours");

    failAfterCancellation(bug);

    assertThat(errors).containsExactly(bug);
  }

  /**
   * A request's chain cancelled (its client went away) while the work below it, which does not stop
   * on cancellation, goes on and fails afterwards: Mutiny drops that failure.
   */
  private static void failAfterCancellation(Throwable failure) {
    AtomicReference<UniSubscriber<? super String>> work = new AtomicReference<>();
    Uni<String> unit =
        new AbstractUni<String>() {
          @Override
          public void subscribe(UniSubscriber<? super String> subscriber) {
            work.set(subscriber);
            subscriber.onSubscribe(() -> {});
          }
        };
    Cancellable request = unit.map(String::trim).subscribe().with(item -> {}, f -> {});
    request.cancel();
    work.get().onFailure(failure);
  }
}
