package io.campus.platform.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Latency histograms (for p50/p95/p99 panels and SLO burn alerts) on HTTP requests and SQL
 * statements, and duration histograms on background jobs.
 *
 * <p>HTTP requests and SQL statements get a fixed, small set of buckets rather than Micrometer's
 * percentile histogram: that one publishes about 60 buckets per series (1 ms to 10 s), one series
 * per route, method and status or per statement shape, and after a few hundred requests made up
 * most of a scrape (1.1 MB). The boundaries the alert rules select must stay exactly as they are
 * ({@code le="0.536870911"}, the latency SLO; {@code MetricsExportedTest} checks them).
 */
public class MetricsSetup {

  /**
   * API latency: 0.536870911 s is the latency SLO's boundary (the alert rules and the overview
   * dashboard select it), kept from the percentile histogram it first came from.
   */
  static final Duration[] HTTP_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofNanos(536_870_911),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  /** SQL statements: mostly a millisecond or two; 200 ms is the slow-statement threshold. */
  static final Duration[] DB_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(200),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(10)
  };

  @Produces
  @Singleton
  public MeterFilter latencyHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        String name = id.getName();
        if (name.equals("http.server.requests")) {
          return buckets(HTTP_BUCKETS).merge(config);
        }
        if (name.equals("campus.db.statements")) {
          return buckets(DB_BUCKETS).merge(config);
        }
        if (name.equals("campus.job.duration")) {
          return histogram(Duration.ofMillis(100), Duration.ofHours(1)).merge(config);
        }
        return config;
      }
    };
  }

  private static DistributionStatisticConfig buckets(Duration... bounds) {
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(false)
        .serviceLevelObjectives(
            Stream.of(bounds).mapToDouble(bound -> (double) bound.toNanos()).toArray())
        .build();
  }

  private static DistributionStatisticConfig histogram(Duration min, Duration max) {
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(true)
        .minimumExpectedValue((double) min.toNanos())
        .maximumExpectedValue((double) max.toNanos())
        .build();
  }
}
