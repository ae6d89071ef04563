package io.campus.platform.jobs;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/**
 * A background job over many rows, split into keyset ranges: each batch is one statement over the
 * keys in {@code (from, to]}, so a failing batch is isolated and a re-run is idempotent.
 */
public interface BatchJob {

  String name();

  /** Upper bounds of consecutive ranges of about {@code batchSize} keys, ascending. */
  Uni<List<Long>> boundaries(int batchSize);

  /** Processes the keys in {@code (fromExclusive, toInclusive]}; returns how many it processed. */
  Uni<Long> batch(long fromExclusive, long toInclusive);

  /** What one batch did: keys processed, and named counts of what it wrote. */
  record Outcome(long processed, Map<String, Long> counts) {}

  /**
   * Runs one batch for the runner. Jobs that report what they wrote (summed into the run's {@code
   * counts}) override this; the others only count processed keys.
   */
  default Uni<Outcome> run(long fromExclusive, long toInclusive) {
    return batch(fromExclusive, toInclusive).map(n -> new Outcome(n, Map.of()));
  }
}
