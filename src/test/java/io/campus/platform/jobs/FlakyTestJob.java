package io.campus.platform.jobs;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** A job whose second batch always fails, to show that a bad batch does not stop a run. */
@ApplicationScoped
public class FlakyTestJob implements BatchJob {

  @Override
  public String name() {
    return "test-flaky";
  }

  @Override
  public Uni<List<Long>> boundaries(int batchSize) {
    return Uni.createFrom().item(List.of(10L, 20L, 30L));
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    if (toInclusive == 20L) {
      return Uni.createFrom().failure(new IllegalStateException("broken batch"));
    }
    return Uni.createFrom().item(10L);
  }
}
