package io.campus.platform.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Admission of database units: at most {@code limit} run (hold or wait for a pooled connection) at
 * once; the rest wait here, first come first served, and start on their own Vert.x context when a
 * running unit ends. A unit that waited longer than the wait budget is refused when its turn comes
 * (its client has been waiting too long already, and running it would only delay the ones behind
 * it), and beyond {@code maxQueued} waiting units a new one is refused at once. So a burst of many
 * more clients than connections is served at the database's pace instead of being turned away,
 * while a database that cannot keep up still answers quickly with refusals.
 */
final class Admission {

  /** Why a unit was refused. */
  enum Refusal {
    QUEUE_FULL,
    WAITED_TOO_LONG
  }

  /** Thrown into a refused unit's subscriber. */
  static final class Refused extends RuntimeException {
    final Refusal reason;

    Refused(Refusal reason) {
      super(reason.name(), null, false, false);
      this.reason = reason;
    }
  }

  private final int limit;
  private final int maxQueued;
  private final long maxWaitNanos;
  private final LongSupplier nanoTime;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

  Admission(int limit, int maxQueued, long maxWaitNanos, LongSupplier nanoTime) {
    this.limit = limit;
    this.maxQueued = maxQueued;
    this.maxWaitNanos = maxWaitNanos;
    this.nanoTime = nanoTime;
  }

  /** Units running right now. */
  int running() {
    return running.get();
  }

  /** Units waiting for their turn right now. */
  int queued() {
    return queued.get();
  }

  <T> Uni<T> submit(Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (waiting.isEmpty() && tryTake()) {
                return run(work);
              }
              if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                return Uni.createFrom().<T>failure(new Refused(Refusal.QUEUE_FULL));
              }
              Context context = Vertx.currentContext();
              return Uni.createFrom()
                  .<T>emitter(
                      emitter -> {
                        Waiter waiter =
                            new Waiter(
                                nanoTime.getAsLong(),
                                context,
                                () -> run(work).subscribe().with(emitter::complete, emitter::fail),
                                emitter::fail);
                        emitter.onTermination(() -> waiter.abandoned.set(true));
                        waiting.add(waiter);
                        drain();
                      });
            });
  }

  private boolean tryTake() {
    while (true) {
      int now = running.get();
      if (now >= limit) {
        return false;
      }
      if (running.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Runs a unit that already holds a slot; the slot passes on when it ends, however it ends. */
  private <T> Uni<T> run(Supplier<Uni<T>> work) {
    Uni<T> unit;
    try {
      unit = work.get();
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    return unit.onTermination().invoke(this::release);
  }

  private void release() {
    running.decrementAndGet();
    drain();
  }

  /** Hands free slots to waiting units, oldest first. */
  private void drain() {
    while (!waiting.isEmpty() && tryTake()) {
      Waiter next = waiting.poll();
      if (next == null) {
        running.decrementAndGet();
        continue;
      }
      queued.decrementAndGet();
      if (next.abandoned.get()) {
        running.decrementAndGet();
        continue;
      }
      if (nanoTime.getAsLong() - next.since > maxWaitNanos) {
        running.decrementAndGet();
        next.refuse.accept(new Refused(Refusal.WAITED_TOO_LONG));
        continue;
      }
      // The unit's session belongs to its request's context: start it there.
      if (next.context == null || next.context == Vertx.currentContext()) {
        next.start.run();
      } else {
        next.context.runOnContext(ignored -> next.start.run());
      }
    }
  }

  private record Waiter(
      long since,
      Context context,
      Runnable start,
      java.util.function.Consumer<Throwable> refuse,
      AtomicBoolean abandoned) {
    Waiter(
        long since,
        Context context,
        Runnable start,
        java.util.function.Consumer<Throwable> refuse) {
      this(since, context, start, refuse, new AtomicBoolean());
    }
  }
}
