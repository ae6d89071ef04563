package io.campus.platform.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 *
 * <p>The client writes and flushes each statement as it is issued, one {@code write} system call
 * and one TCP segment for PostgreSQL to read per statement. Statements issued during one pass of
 * the event loop (the requests of one batch of reads) leave together instead: each connection
 * flushes once the loop has run what it had queued ({@link FlushConsolidationHandler}). The writes
 * are counted ({@code campus.db.pipelined.flushes}, per client): statements executed per flush is
 * the batching achieved.
 *
 * <p>Their sessions use generic plans ({@code campus.ops.db.pipelined-plan-cache-mode}): each
 * statement is planned once per connection, not on every execution.
 */
@ApplicationScoped
// Built at start-up, outside any Vert.x context: a client created on a request's event loop would
// be tied to that context (the HTTP server's) and closed with it, which blocks shutdown.
@Startup
public class Pipelined {

  // Also the most statements written before a flush, whatever the loop still has to run.
  private static final int MAX_UNFLUSHED = 64;
  private static final String CONSOLIDATION = "campus-flush-consolidation";
  private static final Set<String> PLAN_CACHE_MODES =
      Set.of("auto", "force_generic_plan", "force_custom_plan");

  private final SqlClient reads;
  private final SqlClient writes;

  public Pipelined(
      Pool pool, CampusPoolCreator creator, OpsConfig config, Vertx vertx, MeterRegistry registry) {
    // Touching the pool makes Quarkus create it through the creator, which records its options.
    pool.getDelegate();
    OpsConfig.Db db = config.db();
    String planCacheMode = planCacheMode(db.pipelinedPlanCacheMode());
    List<SqlConnectOptions> options =
        creator.connectOptions().stream()
            .<SqlConnectOptions>map(
                o -> {
                  PgConnectOptions pipelining =
                      new PgConnectOptions(o).setPipeliningLimit(db.pipeliningLimit());
                  // Sent in the start-up message: the session's setting from its first statement.
                  Map<String, String> properties = new HashMap<>(pipelining.getProperties());
                  properties.put("plan_cache_mode", planCacheMode);
                  return pipelining.setProperties(properties);
                })
            .toList();
    this.reads = client("campus-reads", db.readConnections(), db, options, vertx, registry);
    this.writes = client("campus-writes", db.writeConnections(), db, options, vertx, registry);
  }

  private static String planCacheMode(String configured) {
    String mode = configured.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (!PLAN_CACHE_MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "campus.ops.db.pipelined-plan-cache-mode must be one of "
              + PLAN_CACHE_MODES
              + ", not '"
              + configured
              + "'");
    }
    return mode;
  }

  private static SqlClient client(
      String name,
      int connections,
      OpsConfig.Db db,
      List<SqlConnectOptions> options,
      Vertx vertx,
      MeterRegistry registry) {
    FlushCounter flushes =
        new FlushCounter(
            Counter.builder("campus.db.pipelined.flushes")
                .description("Writes of pipelined statements to PostgreSQL")
                .tag("client", name)
                .register(registry));
    return SqlClient.newInstance(
        PgBuilder.client()
            .with(
                new PoolOptions()
                    .setMaxSize(connections)
                    .setEventLoopSize(connections)
                    .setMaxWaitQueueSize(db.maxWaitQueueSize())
                    .setName(name))
            .connectingTo(options)
            .withConnectHandler(connection -> consolidateFlushes(connection, flushes))
            .using(vertx.getDelegate())
            .build());
  }

  private static void consolidateFlushes(
      io.vertx.sqlclient.SqlConnection connection, FlushCounter flushes) {
    try {
      Connection socket = ((SqlConnectionInternal) connection).unwrap().unwrap();
      if (socket instanceof SocketConnectionBase base) {
        // Outbound, from the protocol codec towards the socket: consolidation, then the count.
        ChannelPipeline pipeline = base.socket().channelHandlerContext().pipeline();
        pipeline.addBefore(
            "codec", CONSOLIDATION, new FlushConsolidationHandler(MAX_UNFLUSHED, true));
        pipeline.addBefore(CONSOLIDATION, "campus-flush-count", flushes);
      }
    } finally {
      // Hands the connection to the client.
      connection.close();
    }
  }

  @ChannelHandler.Sharable
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    private final Counter counter;

    FlushCounter(Counter counter) {
      this.counter = counter;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      counter.increment();
      ctx.flush();
    }
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
