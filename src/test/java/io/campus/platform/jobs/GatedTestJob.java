package io.campus.platform.jobs;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job whose first batch waits until the test opens its gate, so a test can act on a run while it
 * is going on. The gate is open unless a test closed it.
 */
@ApplicationScoped
public class GatedTestJob implements BatchJob {

  static final String NAME = "test-gated";

  private static volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  private static final AtomicInteger STARTED = new AtomicInteger();

  /** Closes the gate and counts batches afresh. */
  static void close() {
    gate = new CompletableFuture<>();
    STARTED.set(0);
  }

  static void open() {
    gate.complete(null);
  }

  /** Batches started since the gate was last closed. */
  static int started() {
    return STARTED.get();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<List<Long>> boundaries(int batchSize) {
    return Uni.createFrom().item(List.of(10L, 20L, 30L));
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    STARTED.incrementAndGet();
    if (toInclusive == 10L) {
      return Uni.createFrom().completionStage(gate).replaceWith(10L);
    }
    return Uni.createFrom().item(10L);
  }
}
