package io.campus.platform.ops;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A one-second timer on the event loop; if it stops firing, the process is wedged. */
@ApplicationScoped
public class EventLoopHeartbeat {

  private final Vertx vertx;
  private volatile long lastBeat = System.nanoTime();

  public EventLoopHeartbeat(Vertx vertx) {
    this.vertx = vertx;
  }

  void onStart(@Observes StartupEvent event) {
    vertx.setPeriodic(1000, id -> lastBeat = System.nanoTime());
  }

  public long millisSinceLastBeat() {
    return (System.nanoTime() - lastBeat) / 1_000_000;
  }
}
