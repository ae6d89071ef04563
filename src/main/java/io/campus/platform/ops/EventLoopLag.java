package io.campus.platform.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How far behind the event loops are. A 10 ms tick runs on every loop; when a loop is busy (or the
 * whole process is starved of CPU, or paused by the GC) its tick runs late. A reply from Redis or
 * PostgreSQL that times out while a loop is that late waited behind our own work, not on the
 * server: {@link #saturated()} lets callers tell the two apart. Exported as {@code
 * campus.event.loop.lag}.
 */
@ApplicationScoped
public class EventLoopLag {

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Vertx vertx;
  private final long thresholdNanos;
  private final long windowNanos;
  private volatile AtomicLongArray lastTicks = new AtomicLongArray(0);
  // Until when the loops count as saturated after a tick ran later than the threshold.
  private volatile long busyUntil = System.nanoTime();

  public EventLoopLag(Vertx vertx, OpsConfig config, MeterRegistry registry) {
    this.vertx = vertx;
    this.thresholdNanos = config.probes().eventLoopLagThreshold().toNanos();
    // Timeouts are decided a few tens of milliseconds after the lag that caused them.
    this.windowNanos = Math.max(4 * thresholdNanos, TimeUnit.MILLISECONDS.toNanos(200));
    Gauge.builder("campus.event.loop.lag", this, lag -> lag.lagNanos() / 1e9)
        .description("How late the most delayed event loop runs its timers")
        .baseUnit("seconds")
        .register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  synchronized void start() {
    if (lastTicks.length() > 0) {
      return;
    }
    List<EventExecutor> loops = new ArrayList<>();
    vertx.getDelegate().nettyEventLoopGroup().forEach(loops::add);
    AtomicLongArray ticks = new AtomicLongArray(loops.size());
    long now = System.nanoTime();
    for (int i = 0; i < loops.size(); i++) {
      ticks.set(i, now);
      int index = i;
      loops
          .get(i)
          .scheduleWithFixedDelay(
              () -> tick(ticks, index), TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }
    lastTicks = ticks;
  }

  private void tick(AtomicLongArray ticks, int index) {
    long now = System.nanoTime();
    long late = now - ticks.getAndSet(index, now) - TICK_NANOS;
    if (late >= thresholdNanos) {
      busyUntil = Math.max(busyUntil, now + windowNanos);
    }
  }

  /** How late the most delayed loop is right now: 0 when every loop keeps its 10 ms tick. */
  public long lagNanos() {
    AtomicLongArray ticks = lastTicks;
    long now = System.nanoTime();
    long worst = 0;
    for (int i = 0; i < ticks.length(); i++) {
      worst = Math.max(worst, now - ticks.get(i) - TICK_NANOS);
    }
    return worst;
  }

  /** True while some event loop is, or just was, behind by more than the threshold. */
  public boolean saturated() {
    return lagNanos() >= thresholdNanos || System.nanoTime() - busyUntil < 0;
  }
}
