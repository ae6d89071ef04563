package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

class LogDeduplicationTest {

  private final AtomicLong now = new AtomicLong();
  private final LogDeduplication filter =
      new LogDeduplication(Duration.ofSeconds(10), 3, 10).withClock(now::get);

  private static ExtLogRecord record(Level level, String logger, String format, Object... params) {
    ExtLogRecord record =
        new ExtLogRecord(level, format, ExtLogRecord.FormatStyle.PRINTF, "test.Logger");
    record.setLoggerName(logger);
    record.setParameters(params);
    return record;
  }

  private static ExtLogRecord resultAlreadyComplete() {
    ExtLogRecord record =
        record(Level.ERROR, "io.vertx.core.impl.ContextImpl", "Unhandled exception");
    record.setThrown(new IllegalStateException("Result is already complete"));
    return record;
  }

  private long passing(int n, java.util.function.Supplier<LogRecord> records) {
    long passed = 0;
    for (int i = 0; i < n; i++) {
      if (filter.isLoggable(records.get())) {
        passed++;
      }
    }
    return passed;
  }

  @Test
  void aRepeatedErrorIsWrittenAFewTimesPerWindowAndThenCounted() {
    assertThat(passing(10_000, LogDeduplicationTest::resultAlreadyComplete)).isEqualTo(3);

    now.addAndGet(TimeUnit.SECONDS.toNanos(11));
    ExtLogRecord next = resultAlreadyComplete();
    assertThat(filter.isLoggable(next)).isTrue();
    assertThat(next.getFormattedMessage())
        .isEqualTo("Unhandled exception [9997 more like this were not logged in the 10 s before]");
    ExtLogRecord after = resultAlreadyComplete();
    assertThat(filter.isLoggable(after)).isTrue();
    assertThat(after.getFormattedMessage()).isEqualTo("Unhandled exception");
  }

  @Test
  void messagesDifferingOnlyInParametersShareOneKey() {
    long passed =
        passing(
            500,
            () ->
                record(
                    Level.ERROR,
                    "io.campus.platform.common.ProblemMapper",
                    "Unexpected failure %s",
                    java.util.UUID.randomUUID()));
    assertThat(passed).isEqualTo(3);
  }

  @Test
  void allWarningsTogetherAreBoundedPerWindow() {
    int[] n = {0};
    long passed =
        passing(
            1_000,
            () -> {
              // distinct messages, e.g. with an id in the exception text
              ExtLogRecord r = record(Level.WARN, "some.Logger", "Lost request");
              r.setThrown(new IllegalStateException("request " + n[0]++));
              return r;
            });
    assertThat(passed).isEqualTo(10);
  }

  @Test
  void infoAndDebugPassUntouched() {
    assertThat(passing(1_000, () -> record(Level.INFO, "io.campus.Start", "Started")))
        .isEqualTo(1_000);
  }
}
