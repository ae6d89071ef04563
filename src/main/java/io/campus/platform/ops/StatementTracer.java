package io.campus.platform.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Sees every SQL statement the service sends — Hibernate Reactive's and the raw pool's alike —
 * through the Vert.x tracing hook of the SQL client: times it into {@code campus.db.statements}
 * (tags: {@code statement}, a fingerprint of the SQL shape; {@code operation}; {@code outcome}),
 * and logs and counts statements slower than the threshold ({@code campus.db.slow.statements}),
 * with the SQL text but never its parameters. Recent slow statements are kept for the DB doctor.
 */
public final class StatementTracer implements VertxTracer<Object, Object> {

  private static final Logger LOG = Logger.getLogger(StatementTracer.class);
  private static final int KEPT_SLOW = 100;
  private static volatile Duration slowThreshold = Duration.ofMillis(200);
  // Cold connections, a cold JIT and bulk loads make statements issued during start-up slow by
  // nature: they are logged, but not as warnings.
  private static volatile long startUpEndedNanos = Long.MAX_VALUE;
  private static final StatementTracer INSTANCE = new StatementTracer();

  /** A statement seen slow: its shape, how long it took, when. */
  public record SlowStatement(String fingerprint, String sql, long millis, Instant at) {}

  private record Started(String sql, long nanos) {}

  /**
   * What one SQL text reports as, worked out on its first execution: normalising and hashing the
   * text on every statement cost more CPU than the rest of a cheap read's tracing, and under
   * overload every statement is slow, so the one-line text the warning shows is kept here too.
   */
  record Shape(
      String fingerprint, String operation, String oneLine, Timer succeeded, String slowWarning) {
    Shape(String fingerprint, String operation, String oneLine, Timer succeeded) {
      // The warning's format carries the fingerprint: repeated warnings are counted per format
      // (LogDeduplication), so each statement's "more like this" counts only its own.
      this(
          fingerprint,
          operation,
          oneLine,
          succeeded,
          "Slow statement " + fingerprint + " took %d ms%s: %s");
    }
  }

  // Texts are the statements' constants and the few shapes their optional filters produce; the
  // bound only guards against a caller that builds unbounded variations of a statement.
  private static final int MAX_TEXTS = 10_000;

  private final Map<String, Shape> byText = new ConcurrentHashMap<>();
  private final Map<String, String> shapes = new ConcurrentHashMap<>();
  private final Map<String, Timer> failedTimers = new ConcurrentHashMap<>();
  private final Deque<SlowStatement> slow = new ArrayDeque<>();
  private volatile Counter slowCounter;

  private StatementTracer() {}

  public static StatementTracer instance() {
    return INSTANCE;
  }

  /** Registers the slow-statement counter at start, so it is scraped as 0 before the first one. */
  void registerMeters(MeterRegistry registry) {
    slowCounter = Counter.builder("campus.db.slow.statements").register(registry);
  }

  /**
   * From now on slow statements are warnings: the start-up work (migrations, demo data) is done.
   */
  public static synchronized void startUpFinished() {
    if (startUpEndedNanos == Long.MAX_VALUE) {
      startUpEndedNanos = System.nanoTime();
    }
  }

  static void slowThreshold(Duration threshold) {
    slowThreshold = threshold;
  }

  @Override
  public <R> Object sendRequest(
      Context context,
      SpanKind kind,
      TracingPolicy policy,
      R request,
      String operation,
      BiConsumer<String, String> headers,
      TagExtractor<R> tagExtractor) {
    // The readiness probe's connection opts out: its "select 1" is not the service's work.
    if (request == null || tagExtractor == null || policy == TracingPolicy.IGNORE) {
      return null;
    }
    String sql = tagExtractor.extract(request).get("db.statement");
    return sql == null ? null : new Started(sql, System.nanoTime());
  }

  @Override
  public <R> void receiveResponse(
      Context context, R response, Object payload, Throwable failure, TagExtractor<R> extractor) {
    if (!(payload instanceof Started started)) {
      return;
    }
    long nanos = System.nanoTime() - started.nanos();
    Shape shape = shapeOf(started.sql());
    String fingerprint = shape.fingerprint();
    (failure == null ? shape.succeeded() : failed(shape)).record(Duration.ofNanos(nanos));
    long millis = nanos / 1_000_000;
    if (millis >= slowThreshold.toMillis()) {
      boolean startingUp = started.nanos() < startUpEndedNanos;
      if (slowCounter == null) {
        slowCounter = Counter.builder("campus.db.slow.statements").register(Metrics.globalRegistry);
      }
      slowCounter.increment();
      LOG.logf(
          startingUp ? Logger.Level.INFO : Logger.Level.WARN,
          shape.slowWarning(),
          millis,
          startingUp ? " during start-up" : "",
          shape.oneLine());
      synchronized (slow) {
        slow.addFirst(new SlowStatement(fingerprint, shape.oneLine(), millis, Instant.now()));
        while (slow.size() > KEPT_SLOW) {
          slow.removeLast();
        }
      }
    }
  }

  Shape shapeOf(String sql) {
    Shape shape = byText.get(sql);
    if (shape == null) {
      String flat = flatten(sql);
      String fingerprint = fingerprint(flat);
      shapes.putIfAbsent(fingerprint, sql);
      String operation = operation(sql);
      shape =
          new Shape(
              fingerprint,
              operation,
              flat.length() > 500 ? flat.substring(0, 500) + "…" : flat,
              timer(fingerprint, operation, "success"));
      if (byText.size() < MAX_TEXTS) {
        byText.putIfAbsent(sql, shape);
      }
    }
    return shape;
  }

  /** Failures are rare: their timer is only registered once one happens. */
  private Timer failed(Shape shape) {
    return failedTimers.computeIfAbsent(
        shape.fingerprint(), f -> timer(f, shape.operation(), "error"));
  }

  private static Timer timer(String fingerprint, String operation, String outcome) {
    return Timer.builder("campus.db.statements")
        .tag("statement", fingerprint)
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(Metrics.globalRegistry);
  }

  /** The most recent slow statements, newest first. */
  public List<SlowStatement> recentSlow() {
    synchronized (slow) {
      return List.copyOf(slow);
    }
  }

  /** SQL of every statement shape seen, by fingerprint. */
  public Map<String, String> shapes() {
    return Map.copyOf(shapes);
  }

  private static String operation(String sql) {
    String trimmed = sql.stripLeading();
    int end = 0;
    while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
      end++;
    }
    String word = trimmed.substring(0, end).toLowerCase(Locale.ROOT);
    return switch (word) {
      case "select", "insert", "update", "delete", "with", "begin", "commit", "rollback" -> word;
      default -> "other";
    };
  }

  private static String flatten(String sql) {
    return sql.replaceAll("\\s+", " ").trim();
  }

  /** Of the flattened text, so that layout does not make two shapes of one statement. */
  private static String fingerprint(String flat) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(flat.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
