package io.campus.platform.ops;

import io.smallrye.mutiny.Uni;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A write's follow-ups (cache evictions, sessions ended) that must happen whenever the write
 * commits. A write unit that runs out of time answers 503 but is not cancelled: its transaction may
 * still commit a moment later, and a retry then finds nothing left to change, so follow-ups chained
 * after the answer would never run. Here they run once the late unit ends with a result.
 */
public final class AfterCommit {

  private static final Logger LOG = Logger.getLogger(AfterCommit.class);

  private AfterCommit() {}

  /**
   * {@code write}, then {@code followUp} on its result; should the write time out and commit later,
   * {@code followUp} runs then (the caller has had its 503). {@code write} is the Uni of a {@link
   * DbWrite} method itself, untransformed: a late result is that method's.
   */
  public static <T> Uni<T> then(Uni<T> write, Function<? super T, Uni<?>> followUp) {
    Uni<T> whole = withLateFollowUp(write, followUp).call(followUp::apply);
    // Subscribed apart from the caller: a client that goes away cancels its request, and with it
    // what is chained after the write, while the write itself goes on and commits.
    return Uni.createFrom()
        .emitter(emitter -> whole.subscribe().with(emitter::complete, emitter::fail));
  }

  private static <T> Uni<T> withLateFollowUp(Uni<T> write, Function<? super T, Uni<?>> followUp) {
    return write
        .onFailure(UnitTimeout.Late.class)
        .invoke(
            failure ->
                ((UnitTimeout.Late) failure)
                    .outcome()
                    .thenAccept(
                        result -> {
                          @SuppressWarnings("unchecked")
                          T committed = (T) result;
                          Uni<?> followed;
                          try {
                            followed = followUp.apply(committed);
                          } catch (RuntimeException e) {
                            followed = Uni.createFrom().failure(e);
                          }
                          followed
                              .subscribe()
                              .with(
                                  done ->
                                      LOG.infof(
                                          "A write that ran out of time committed; its follow-ups"
                                              + " ran"),
                                  error ->
                                      LOG.warnf(
                                          "A write that ran out of time committed; its follow-ups"
                                              + " failed: %s",
                                          error.toString()));
                        }));
  }
}
