package io.campus.platform.ops;

import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Clients for the hottest single-statement units: a few connections each, one per event loop it
 * uses, that each pipeline up to {@code campus.ops.db.pipelining-limit} statements, so concurrent
 * statements share a round trip instead of queueing for one of the pool's connections one at a
 * time. A pooled connection is held for a whole round trip, and when the event loops are busy most
 * of that is the wait for the loop to read the answer, not PostgreSQL's work: under load the pool
 * serves a few hundred statements a second however idle the database is, a pipelined connection
 * thousands.
 *
 * <p>Only autocommit single statements belong here (each is its own implicit transaction): a
 * pipelined connection carries no transaction of ours. Reads ({@code
 * campus.ops.db.read-connections}) and writes ({@code campus.ops.db.write-connections}) have
 * connections of their own, so a read never waits behind a write's execution, commit or row locks.
 * Their units declare {@code pipelined = true} on {@link DbRead} / {@link DbWrite}, which admits
 * them in a {@link DbGuard.Lane} sized for these connections, not behind the pool's units. Same
 * server, options, statement timeout and tracing as the pool.
 */
@ApplicationScoped
// Built at start-up, outside any Vert.x context: a client created on a request's event loop would
// be tied to that context (the HTTP server's) and closed with it, which blocks shutdown.
@Startup
public class Pipelined {

  private final SqlClient reads;
  private final SqlClient writes;

  public Pipelined(Pool pool, CampusPoolCreator creator, OpsConfig config, Vertx vertx) {
    // Touching the pool makes Quarkus create it through the creator, which records its options.
    pool.getDelegate();
    OpsConfig.Db db = config.db();
    List<SqlConnectOptions> options =
        creator.connectOptions().stream()
            .<SqlConnectOptions>map(
                o -> new PgConnectOptions(o).setPipeliningLimit(db.pipeliningLimit()))
            .toList();
    this.reads = client("campus-reads", db.readConnections(), db, options, vertx);
    this.writes = client("campus-writes", db.writeConnections(), db, options, vertx);
  }

  private static SqlClient client(
      String name, int connections, OpsConfig.Db db, List<SqlConnectOptions> options, Vertx vertx) {
    return SqlClient.newInstance(
        PgBuilder.client()
            .with(
                new PoolOptions()
                    .setMaxSize(connections)
                    .setEventLoopSize(connections)
                    .setMaxWaitQueueSize(db.maxWaitQueueSize())
                    .setName(name))
            .connectingTo(options)
            .using(vertx.getDelegate())
            .build());
  }

  /** Single-statement reads; their units declare {@code @DbRead(pipelined = true)}. */
  public SqlClient reads() {
    return reads;
  }

  /** Single-statement autocommit writes; their units declare {@code @DbWrite(pipelined = true)}. */
  public SqlClient writes() {
    return writes;
  }

  @PreDestroy
  void close() {
    reads.closeAndForget();
    writes.closeAndForget();
  }
}
