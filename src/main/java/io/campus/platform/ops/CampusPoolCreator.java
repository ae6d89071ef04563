package io.campus.platform.ops;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the reactive pool with the limits Quarkus does not expose: a bounded wait queue (a burst
 * beyond capacity fails fast with a 503 instead of piling up), a connect timeout, and a server-side
 * statement timeout and the UTC time zone on every connection. Hibernate Reactive uses this same
 * pool.
 */
@ApplicationScoped
public class CampusPoolCreator implements PgPoolCreator {

  private final OpsConfig.Db db;
  private final BackendTls tls;
  private volatile List<PgConnectOptions> connectOptions = List.of();

  public CampusPoolCreator(OpsConfig config, BackendTls tls) {
    this.db = config.db();
    this.tls = tls;
  }

  @Override
  public Pool create(Input input) {
    List<io.vertx.sqlclient.SqlConnectOptions> options = new ArrayList<>();
    for (PgConnectOptions original : input.pgConnectOptionsList()) {
      PgConnectOptions copy = new PgConnectOptions(original);
      copy.setConnectTimeout((int) db.connectTimeout().toMillis());
      // Our longest statements (dashboard, lesson completion) run to ~4000 characters; keep them
      // prepared instead of parsing and planning them on every execution.
      copy.setPreparedStatementCacheSqlLimit(16_384);
      copy.addProperty("statement_timeout", Long.toString(db.statementTimeout().toMillis()));
      copy.addProperty("application_name", "campus");
      // current_date and every date computed in SQL (streak days, last activity, assessment days)
      // are UTC days, whatever TimeZone the server or the database defaults to. Sent in the
      // start-up message, so it holds from the first statement; the pipelined clients copy it.
      copy.addProperty("TimeZone", DatabaseProbe.SESSION_TIME_ZONE);
      // Every statement is reported to StatementTracer (timings, slow statement log).
      copy.setTracingPolicy(io.vertx.core.tracing.TracingPolicy.ALWAYS);
      // verify-full against the configured CA, or no TLS at all (BackendTls refuses the rest).
      tls.postgres(copy);
      options.add(copy);
    }
    connectOptions = options.stream().map(o -> (PgConnectOptions) o).toList();
    // DbGuard admits at most pool size + max-wait-queue-size units and refuses the rest itself;
    // the pool's own queue is a backstop with room for work outside the guard (jobs, warm-up).
    // Its refusals leak a timer each (eclipse-vertx/vertx-sql-client#1706), so keep them rare.
    return PgBuilder.pool()
        .with(input.poolOptions().setMaxWaitQueueSize(2 * db.maxWaitQueueSize()))
        .connectingTo(options)
        .using(input.vertx())
        .build();
  }

  /** The options the pool connects with (TLS, timeouts, tracing); empty before it exists. */
  List<PgConnectOptions> connectOptions() {
    return connectOptions;
  }
}
