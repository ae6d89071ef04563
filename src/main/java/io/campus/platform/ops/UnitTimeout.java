package io.campus.platform.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The time limit of a call to a backend (a database unit, a Redis command), kept on the caller's
 * event loop: a Vert.x timer there is scheduled and cancelled without waking another thread, and
 * fires on the caller's context. (Fault tolerance's own {@code @Timeout} hands every call to its
 * timer thread and wakes it, twice per request: 5-7 % of an uncached read's CPU; Mutiny's {@code
 * ifNoItem().after} schedules on a worker pool and answers there.) A database unit fails with the
 * same exception as {@code @Timeout}, inside the unit's circuit breaker, so a database that stops
 * answering still counts against it.
 *
 * <p>A call that runs out of time is not cancelled: its statement is on the wire and its admission
 * slot frees when it really ends, not while the connection is still busy with it.
 */
public final class UnitTimeout {

  private UnitTimeout() {}

  static <T> Uni<T> within(Uni<T> unit, Duration limit) {
    return within(unit, limit, () -> timedOut(limit));
  }

  /**
   * The call's answer, or a failure with {@code late}'s exception once {@code limit} has passed.
   */
  public static <T> Uni<T> within(Uni<T> unit, Duration limit, Supplier<? extends Throwable> late) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context context = Vertx.currentContext();
              if (context == null) {
                // Start-up and jobs off the event loops: Mutiny's own timer is fine there.
                unit.ifNoItem()
                    .after(limit)
                    .failWith(late)
                    .subscribe()
                    .with(emitter::complete, emitter::fail);
                return;
              }
              Vertx vertx = context.owner();
              AtomicBoolean settled = new AtomicBoolean();
              AtomicReference<Throwable> timedOut = new AtomicReference<>();
              long timer =
                  vertx.setTimer(
                      limit.toMillis(),
                      id -> {
                        // set before the race is settled: a unit that loses it finds it
                        Throwable failure = late.get();
                        timedOut.set(failure);
                        if (settled.compareAndSet(false, true)) {
                          emitter.fail(failure);
                        }
                      });
              // Cancels the timer however the unit ends: answered, failed or abandoned.
              emitter.onTermination(() -> vertx.cancelTimer(timer));
              unit.subscribe()
                  .with(
                      item -> {
                        if (settled.compareAndSet(false, true)) {
                          emitter.complete(item);
                        } else if (timedOut.get() instanceof Late answered) {
                          answered.outcome.complete(item);
                        }
                      },
                      failure -> {
                        if (settled.compareAndSet(false, true)) {
                          emitter.fail(failure);
                        } else if (timedOut.get() instanceof Late answered) {
                          answered.outcome.completeExceptionally(failure);
                        }
                      });
            });
  }

  private static TimeoutException timedOut(Duration limit) {
    return new Late("No answer from the database within " + limit.toMillis() + " ms");
  }

  /**
   * A database unit that ran out of time and goes on (it is not cancelled): it may still commit.
   * {@link AfterCommit} runs a write's follow-ups when it does.
   */
  public static final class Late extends TimeoutException {
    private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();

    Late(String message) {
      super(message);
    }

    /** What the unit ended with, once it ended. */
    CompletableFuture<Object> outcome() {
      return outcome;
    }
  }
}
