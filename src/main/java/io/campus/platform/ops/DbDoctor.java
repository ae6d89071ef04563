package io.campus.platform.ops;

import io.campus.platform.common.Sql;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A database health report from inside the service, in the spirit of PgHero: each section is one
 * read on the reactive pool against PostgreSQL's statistics views. Sessions and statements are the
 * service's own (its database role): other tools' statements and their literals never show.
 */
@ApplicationScoped
public class DbDoctor {

  /** Sections in report order. */
  public static final List<String> SECTIONS =
      List.of(
          "overview",
          "slow-queries",
          "indexes",
          "hit-rates",
          "sizes",
          "sequences",
          "vacuum",
          "replication",
          "pool");

  private static final long LARGE_TABLE_ROWS = 10_000;
  private static final String OVERVIEW = Sql.load("ops/overview");
  private static final String TOP_STATEMENTS = Sql.load("ops/top-statements");
  private static final String INDEXES = Sql.load("ops/indexes");
  private static final String REPLICATION = Sql.load("ops/replication");

  private final Pool pool;
  private final MeterRegistry registry;
  private final ReadReplica replica;

  public DbDoctor(Pool pool, MeterRegistry registry, ReadReplica replica) {
    this.pool = pool;
    this.registry = registry;
    this.replica = replica;
  }

  /** The whole report, sections one after another (never several connections at once). */
  public Uni<Map<String, Object>> report(List<String> sections) {
    Map<String, Object> report = new LinkedHashMap<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String section : sections) {
      chain =
          chain.chain(
              () -> section(section).invoke(value -> report.put(section, value)).replaceWithVoid());
    }
    return chain.replaceWith(report);
  }

  Uni<Object> section(String name) {
    return switch (name) {
      case "overview" -> overview();
      case "slow-queries" -> slowQueries();
      case "indexes" -> indexes();
      case "hit-rates" -> rows(HIT_RATES);
      // Catalogue reads, the same on a physical replica: off the primary when there is one.
      case "sizes" -> replicaRows(SIZES);
      case "sequences" -> replicaRows(SEQUENCES);
      case "vacuum" -> rows(VACUUM);
      case "replication" -> replication();
      case "pool" -> Uni.createFrom().item(pool());
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * Cancels a running query of the service's own sessions (its role, this database); false when no
   * such backend runs one. Other tools' sessions are neither shown nor cancelled.
   */
  public Uni<Boolean> cancel(int pid) {
    return pool.preparedQuery(
            """
            select pg_cancel_backend(pid) as cancelled from pg_stat_activity
            where pid = $1 and datname = current_database() and usename = current_user
              and pid <> pg_backend_pid() and state <> 'idle'
            """)
        .execute(Tuple.of(pid))
        .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("cancelled"));
  }

  private Uni<Object> overview() {
    return pool.query(OVERVIEW).execute().map(rows -> (Object) first(rows));
  }

  private Uni<Object> slowQueries() {
    List<Map<String, Object>> seen = new ArrayList<>();
    for (StatementTracer.SlowStatement s : StatementTracer.instance().recentSlow()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("fingerprint", s.fingerprint());
      entry.put("millis", s.millis());
      entry.put("at", s.at().toString());
      entry.put("query", s.sql());
      seen.add(entry);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("seenByThisInstance", seen);
    return pool.query(
            "select exists (select 1 from pg_extension where extname = 'pg_stat_statements') as present")
        .execute()
        .chain(
            rows -> {
              if (!rows.iterator().next().getBoolean("present")) {
                result.put(
                    "pgStatStatements",
                    "not installed: add pg_stat_statements to shared_preload_libraries and run"
                        + " CREATE EXTENSION pg_stat_statements to see the database-wide view");
                return Uni.createFrom().item((Object) result);
              }
              return pool.query(TOP_STATEMENTS)
                  .execute()
                  .map(
                      top -> {
                        result.put("pgStatStatements", list(top));
                        return (Object) result;
                      })
                  .onFailure()
                  .recoverWithItem(
                      f -> {
                        result.put(
                            "pgStatStatements",
                            "installed but not loaded (shared_preload_libraries): "
                                + f.getMessage());
                        return result;
                      });
            });
  }

  private Uni<Object> indexes() {
    return pool.preparedQuery(INDEXES)
        .execute(Tuple.of(LARGE_TABLE_ROWS))
        .map(rows -> (Object) first(rows));
  }

  private static final String HIT_RATES =
      """
      select s.relname as table,
             round(100.0 * s.heap_blks_hit / nullif(s.heap_blks_hit + s.heap_blks_read, 0), 2) as table_hit_percent,
             round(100.0 * s.idx_blks_hit / nullif(s.idx_blks_hit + s.idx_blks_read, 0), 2) as index_hit_percent
      from pg_statio_user_tables s
      order by s.heap_blks_read + coalesce(s.idx_blks_read, 0) desc limit 30
      """;

  private static final String SIZES =
      """
      select c.relname as relation, case c.relkind when 'r' then 'table' when 'i' then 'index'
               when 'm' then 'materialized view' else c.relkind::text end as kind,
             pg_total_relation_size(c.oid) as bytes, pg_size_pretty(pg_total_relation_size(c.oid)) as size
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'i', 'm')
      order by pg_total_relation_size(c.oid) desc limit 30
      """;

  private static final String SEQUENCES =
      """
      select sequencename as sequence, last_value, max_value,
             round(100.0 * coalesce(last_value, 0) / max_value, 4) as used_percent,
             coalesce(last_value, 0) > max_value * 0.5 as nearing_max
      from pg_sequences where schemaname = 'public'
      order by coalesce(last_value, 0)::numeric / max_value desc
      """;

  private static final String VACUUM =
      """
      select relname as table, n_live_tup as live_rows, n_dead_tup as dead_rows,
             round(100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0), 2) as dead_percent,
             last_vacuum, last_autovacuum, last_analyze, last_autoanalyze
      from pg_stat_user_tables order by n_dead_tup desc limit 30
      """;

  private Uni<Object> replication() {
    return pool.query(REPLICATION)
        .execute()
        .map(rows -> first(rows))
        .chain(
            primary ->
                replica
                    .status()
                    .map(
                        read -> {
                          primary.put("read_replica", read);
                          return (Object) primary;
                        }));
  }

  private Map<String, Object> pool() {
    Map<String, Map<String, Double>> pools = SqlPools.byPool(registry);
    Map<String, Object> stats = new LinkedHashMap<>();
    // the totals over every pool, the ratio of the fullest, then each pool
    for (String gauge : List.of("active", "idle", "queue.size")) {
      stats.put(gauge, pools.values().stream().mapToDouble(p -> p.getOrDefault(gauge, 0.0)).sum());
    }
    stats.put(
        "ratio",
        pools.values().stream().mapToDouble(p -> p.getOrDefault("ratio", 0.0)).max().orElse(0));
    stats.put("pools", pools);
    stats.put(
        "rejected",
        registry.find("sql.pool.rejected").counters().stream()
            .mapToDouble(io.micrometer.core.instrument.Counter::count)
            .sum());
    stats.put("statementShapesSeen", StatementTracer.instance().shapes().size());
    return stats;
  }

  private Uni<Object> replicaRows(String sql) {
    return replica.read(client -> client.query(sql).execute()).map(rows -> (Object) list(rows));
  }

  private Uni<Object> rows(String sql) {
    return pool.query(sql).execute().map(rows -> (Object) list(rows));
  }

  private static Map<String, Object> first(RowSet<Row> rows) {
    return rows.iterator().next().toJson().getMap();
  }

  private static List<Map<String, Object>> list(RowSet<Row> rows) {
    List<Map<String, Object>> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(row.toJson().getMap()));
    return list;
  }
}
