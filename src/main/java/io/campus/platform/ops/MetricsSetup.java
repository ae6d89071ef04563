package io.campus.platform.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Latency histograms (for p95/p99 and SLO burn alerts) on HTTP requests and SQL statements, and
 * duration histograms on background jobs.
 */
public class MetricsSetup {

  @Produces
  @Singleton
  public MeterFilter latencyHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        String name = id.getName();
        if (name.equals("http.server.requests") || name.equals("campus.db.statements")) {
          return histogram(Duration.ofMillis(1), Duration.ofSeconds(10)).merge(config);
        }
        if (name.equals("campus.job.duration")) {
          return histogram(Duration.ofMillis(100), Duration.ofHours(1)).merge(config);
        }
        return config;
      }
    };
  }

  private static DistributionStatisticConfig histogram(Duration min, Duration max) {
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(true)
        .minimumExpectedValue((double) min.toNanos())
        .maximumExpectedValue((double) max.toNanos())
        .build();
  }
}
