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
 * A client for the hottest single-statement reads (token lookup, course detail by slug): a few
 * connections ({@code campus.ops.db.read-connections}, one per event loop it uses) that each
 * pipeline up to {@code campus.ops.db.pipelining-limit} statements, so concurrent reads share a
 * round trip instead of queueing for one of the pool's connections one statement at a time. Only
 * autocommit single statements belong here: a pipelined connection carries no transaction of ours.
 * Same server, options, statement timeout and tracing as the pool.
 */
@ApplicationScoped
// Built at start-up, outside any Vert.x context: a client created on a request's event loop would
// be tied to that context (the HTTP server's) and closed with it, which blocks shutdown.
@Startup
public class PipelinedReads {

  private final SqlClient client;

  public PipelinedReads(Pool pool, CampusPoolCreator creator, OpsConfig config, Vertx vertx) {
    // Touching the pool makes Quarkus create it through the creator, which records its options.
    pool.getDelegate();
    OpsConfig.Db db = config.db();
    List<SqlConnectOptions> options =
        creator.connectOptions().stream()
            .<SqlConnectOptions>map(
                o -> new PgConnectOptions(o).setPipeliningLimit(db.pipeliningLimit()))
            .toList();
    this.client =
        SqlClient.newInstance(
            PgBuilder.client()
                .with(
                    new PoolOptions()
                        .setMaxSize(db.readConnections())
                        .setEventLoopSize(db.readConnections())
                        .setMaxWaitQueueSize(db.maxWaitQueueSize())
                        .setName("campus-reads"))
                .connectingTo(options)
                .using(vertx.getDelegate())
                .build());
  }

  public SqlClient client() {
    return client;
  }

  @PreDestroy
  void close() {
    client.closeAndForget();
  }
}
