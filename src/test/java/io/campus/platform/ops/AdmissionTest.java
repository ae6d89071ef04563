package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A burst beyond the pool waits its turn; only a full queue or an exhausted wait budget refuses.
 */
class AdmissionTest {

  private final AtomicLong clock = new AtomicLong();
  private final Admission admission = new Admission(2, 3, 500_000_000L, clock::get);
  private final List<UniEmitter<? super String>> held = new ArrayList<>();

  private Uni<String> unit() {
    return admission.submit(() -> Uni.createFrom().<String>emitter(held::add));
  }

  private static <T> AtomicReference<Object> outcome(Uni<T> uni) {
    AtomicReference<Object> result = new AtomicReference<>();
    uni.subscribe().with(result::set, result::set);
    return result;
  }

  @Test
  void unitsBeyondTheLimitWaitAndRunInArrivalOrderWhenSlotsFree() {
    var first = outcome(unit());
    var second = outcome(unit());
    var third = outcome(unit());
    var fourth = outcome(unit());
    assertThat(held).hasSize(2);
    assertThat(admission.queued()).isEqualTo(2);

    held.get(0).complete("1");
    assertThat(first.get()).isEqualTo("1");
    assertThat(held).as("the oldest waiting unit took the freed slot").hasSize(3);
    held.get(1).complete("2");
    held.get(2).complete("3");
    held.get(3).complete("4");
    assertThat(List.of(second.get(), third.get(), fourth.get())).containsExactly("2", "3", "4");
    assertThat(admission.running()).isZero();
    assertThat(admission.queued()).isZero();
  }

  @Test
  void aFullQueueRefusesAtOnceWithoutRunningTheUnit() {
    for (int i = 0; i < 5; i++) {
      outcome(unit());
    }
    var refused = outcome(unit());
    assertThat(refused.get())
        .isInstanceOfSatisfying(
            Admission.Refused.class,
            r -> assertThat(r.reason).isEqualTo(Admission.Refusal.QUEUE_FULL));
    assertThat(held).hasSize(2);
  }

  @Test
  void aUnitThatWaitedBeyondTheBudgetIsRefusedWhenItsTurnComesAndTheNextOneRuns() {
    outcome(unit());
    outcome(unit());
    var stale = outcome(unit());
    clock.addAndGet(600_000_000L);
    var fresh = outcome(unit());

    held.get(0).complete("done");
    assertThat(stale.get())
        .isInstanceOfSatisfying(
            Admission.Refused.class,
            r -> assertThat(r.reason).isEqualTo(Admission.Refusal.WAITED_TOO_LONG));
    assertThat(held).as("the stale unit never ran; the fresh one did").hasSize(3);
    held.get(2).complete("fresh");
    assertThat(fresh.get()).isEqualTo("fresh");
  }

  @Test
  void aFailingOrCancelledUnitGivesItsSlotBack() {
    var failing =
        outcome(admission.submit(() -> Uni.createFrom().failure(new IllegalStateException("x"))));
    assertThat(failing.get()).isInstanceOf(IllegalStateException.class);
    outcome(unit());
    outcome(unit());
    var cancelled = unit().subscribe().with(item -> {}, failure -> {});
    cancelled.cancel();
    var next = outcome(unit());
    held.get(0).complete("a");
    assertThat(held).as("the cancelled waiter was skipped").hasSize(3);
    held.get(2).complete("b");
    assertThat(next.get()).isEqualTo("b");
    held.get(1).complete("c");
    assertThat(admission.running()).isZero();
  }

  @Test
  void aSupplierThatThrowsGivesItsSlotBack() {
    for (int i = 0; i < 3; i++) {
      outcome(
          admission.submit(
              () -> {
                throw new IllegalArgumentException("bad");
              }));
    }
    assertThat(admission.running()).isZero();
  }
}
