package io.campus.platform.ops;

import io.quarkus.logging.LoggingFilter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Keeps warnings and errors bounded under overload. Within each window ({@code
 * campus.ops.log.dedup-window}) a message — same logger, level, text template and exception type —
 * is written at most {@code campus.ops.log.dedup-per-key} times, and all warnings and errors
 * together at most {@code campus.ops.log.dedup-total} times. The next line of a message written
 * after a window in which some of its copies were dropped says how many. Without this, a burst that
 * fails thousands of requests a second (each with a stack trace) fills the disk and costs
 * throughput long after the burst. INFO and below pass untouched.
 */
@LoggingFilter(name = "campus-log-dedup")
public final class LogDeduplication implements Filter {

  private static final int MAX_KEYS = 2_000;

  private final long windowNanos;
  private final int perKey;
  private final int total;
  private volatile LongSupplier clock = System::nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Window all = new Window(0);

  /** What one message key did in its current window. */
  private static final class Window {
    long start;
    int written;
    long dropped;
    long droppedBefore;

    Window(long start) {
      this.start = start;
    }
  }

  public LogDeduplication(
      @ConfigProperty(name = "campus.ops.log.dedup-window", defaultValue = "PT10S") Duration window,
      @ConfigProperty(name = "campus.ops.log.dedup-per-key", defaultValue = "5") int perKey,
      @ConfigProperty(name = "campus.ops.log.dedup-total", defaultValue = "200") int total) {
    this.windowNanos = window.toNanos();
    this.perKey = perKey;
    this.total = total;
    this.all.start = clock.getAsLong();
  }

  /** Tests drive the windows with their own clock. */
  LogDeduplication withClock(LongSupplier testClock) {
    this.clock = testClock;
    this.all.start = testClock.getAsLong();
    return this;
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (record.getLevel().intValue() < Level.WARNING.intValue()) {
      return true;
    }
    long now = clock.getAsLong();
    String key = key(record);
    Window mine;
    if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
      forgetExpired(now);
    }
    mine = windows.computeIfAbsent(key, k -> new Window(now));
    long droppedEarlier;
    synchronized (mine) {
      roll(mine, now);
      if (mine.written >= perKey || windows.size() > MAX_KEYS || !takeFromTotal(now)) {
        mine.dropped++;
        return false;
      }
      mine.written++;
      droppedEarlier = mine.droppedBefore;
      mine.droppedBefore = 0;
    }
    if (droppedEarlier > 0) {
      note(
          record,
          " [%d more like this were not logged in the %d s before]"
              .formatted(droppedEarlier, Duration.ofNanos(windowNanos).toSeconds()));
    }
    return true;
  }

  private boolean takeFromTotal(long now) {
    synchronized (all) {
      roll(all, now);
      if (all.written >= total) {
        all.dropped++;
        return false;
      }
      all.written++;
      return true;
    }
  }

  private void roll(Window w, long now) {
    if (now - w.start >= windowNanos) {
      w.droppedBefore += w.dropped;
      w.dropped = 0;
      w.written = 0;
      w.start = now;
    }
  }

  private void forgetExpired(long now) {
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      Window w = it.next();
      synchronized (w) {
        if (now - w.start >= 2 * windowNanos && w.dropped == 0 && w.droppedBefore == 0) {
          it.remove();
        }
      }
    }
  }

  /** Logger, level, the message before its parameters are filled in, and the exception type. */
  static String key(LogRecord record) {
    // The raw message: "Unexpected failure %s", not one line per request id.
    String template = record.getMessage();
    Throwable thrown = record.getThrown();
    return record.getLoggerName()
        + '|'
        + record.getLevel().getName()
        + '|'
        + template
        + '|'
        + (thrown == null ? "" : thrown.getClass().getName() + ':' + thrown.getMessage());
  }

  private static void note(LogRecord record, String suffix) {
    if (record instanceof ExtLogRecord ext) {
      // Fill in the parameters first, so the suffix cannot be taken for a format pattern.
      String formatted = ext.getFormattedMessage();
      ext.setMessage(formatted + suffix, ExtLogRecord.FormatStyle.NO_FORMAT);
      ext.setParameters(null);
    } else {
      record.setMessage(record.getMessage() + suffix.replace("{", "'{'"));
    }
  }
}
