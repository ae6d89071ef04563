package io.campus.platform.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Vert.x SQL pools' gauges, read per pool: the shared reactive pool and the pipelined clients
 * each register {@code sql.pool.*} under their own {@code pool.name}, and {@code
 * registry.find(name).gauge()} would return whichever it meets first.
 */
final class SqlPools {

  static final List<String> GAUGES =
      List.of("sql.pool.active", "sql.pool.idle", "sql.pool.queue.size", "sql.pool.ratio");

  private SqlPools() {}

  /** Pool name → gauge (without its {@code sql.pool.} prefix) → value. */
  static Map<String, Map<String, Double>> byPool(MeterRegistry registry) {
    Map<String, Map<String, Double>> pools = new TreeMap<>();
    for (String name : GAUGES) {
      for (Gauge gauge : registry.find(name).gauges()) {
        if (!Double.isFinite(gauge.value())) {
          continue; // a pool being closed
        }
        String pool = gauge.getId().getTag("pool.name");
        pools
            .computeIfAbsent(pool == null ? "" : pool, p -> new LinkedHashMap<>())
            .put(name.substring("sql.pool.".length()), gauge.value());
      }
    }
    return pools;
  }

  /** A gauge summed over every pool; -1 when no pool has it yet. */
  static long total(MeterRegistry registry, String name) {
    var gauges = registry.find(name).gauges();
    return gauges.isEmpty()
        ? -1
        : Math.round(gauges.stream().mapToDouble(Gauge::value).filter(Double::isFinite).sum());
  }
}
