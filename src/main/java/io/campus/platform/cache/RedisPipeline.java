package io.campus.platform.cache;

import io.campus.platform.ops.BackendTls;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jboss.logging.Logger;

/**
 * The Redis connections the cache's calls travel on ({@code campus.cache.redis-connections}), each
 * held for the life of the instance and carrying any number of commands at once. The client's own
 * {@code send} leases a pooled connection per command and holds it for the whole round trip; under
 * load most of that is the wait for a busy event loop to read the reply, so calls queued for the
 * pool's connections past their 50 ms timeout while Redis idled, and each such call became a
 * database load.
 *
 * <p>A call prefers the connection on its own event loop. The connections come from a client of
 * their own, so replacing one that Redis or the network dropped never waits behind calls queued for
 * the data client's pool; that happens in the background (one attempt per {@code
 * campus.cache.resubscribe-delay}), and meanwhile calls lease a connection from that pool.
 */
@ApplicationScoped
// Opened at start-up from contexts of its own: a connection opened from a request's context
// would be tied to it.
@Startup
public class RedisPipeline {

  private static final Logger LOG = Logger.getLogger(RedisPipeline.class);

  private final Redis pool;
  private final Redis own;
  private final CacheConfig config;
  private final Context[] contexts;
  private final Thread[] loops;
  private final AtomicReferenceArray<RedisConnection> connections;
  private final AtomicBoolean[] connecting;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean stopped;

  public RedisPipeline(
      Redis pool, CacheConfig config, Vertx vertx, DataClientOptions dataClient, BackendTls tls) {
    this.pool = pool;
    this.config = config;
    int size = Math.max(1, config.redisConnections());
    this.own =
        config.redisEnabled()
            ? Redis.createClient(
                vertx, RedisL2.ownClientOptions("campus-cache", dataClient.get(), tls, size))
            : null;
    this.contexts = new Context[size];
    this.loops = new Thread[size];
    this.connections = new AtomicReferenceArray<>(size);
    this.connecting = new AtomicBoolean[size];
    for (int i = 0; i < size; i++) {
      // Off the event loops each call makes a new context, on the loops in turn.
      contexts[i] = vertx.getDelegate().getOrCreateContext();
      connecting[i] = new AtomicBoolean();
    }
  }

  void onStart(@Observes StartupEvent event) {
    if (config.redisEnabled()) {
      for (int i = 0; i < contexts.length; i++) {
        open(i);
      }
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    for (int i = 0; i < contexts.length; i++) {
      RedisConnection connection = connections.getAndSet(i, null);
      if (connection != null) {
        connection.close().subscribe().with(ignored -> {}, failure -> {});
      }
    }
    if (own != null) {
      own.close();
    }
  }

  Uni<Response> send(Request request) {
    return Uni.createFrom()
        .deferred(
            () -> {
              RedisConnection connection = pick();
              return connection == null ? pool.send(request) : connection.send(request);
            });
  }

  Uni<List<Response>> batch(List<Request> requests) {
    return Uni.createFrom()
        .deferred(
            () -> {
              RedisConnection connection = pick();
              return connection == null ? pool.batch(requests) : connection.batch(requests);
            });
  }

  /** How many of the connections are open now. */
  int held() {
    int held = 0;
    for (int i = 0; i < connections.length(); i++) {
      if (connections.get(i) != null) {
        held++;
      }
    }
    return held;
  }

  private RedisConnection pick() {
    Thread current = Thread.currentThread();
    for (int i = 0; i < contexts.length; i++) {
      if (loops[i] == current) {
        RedisConnection mine = connections.get(i);
        if (mine != null) {
          return mine;
        }
        open(i);
        break;
      }
    }
    int i = Math.floorMod(next.getAndIncrement(), contexts.length);
    RedisConnection connection = connections.get(i);
    if (connection == null) {
      open(i);
    }
    return connection;
  }

  private void open(int slot) {
    if (stopped || own == null || !connecting[slot].compareAndSet(false, true)) {
      return;
    }
    contexts[slot].runOnContext(
        ignored ->
            // Time-limited by the client's connect timeout: a Mutiny timeout here would leave the
            // connection it gave up on leased from the client's pool for good.
            own.connect()
                .subscribe()
                .with(
                    connection -> opened(slot, connection),
                    failure -> {
                      LOG.debugf("Redis connection %d not opened: %s", slot, failure.toString());
                      retryLater(slot);
                    }));
  }

  private void opened(int slot, RedisConnection connection) {
    if (stopped) {
      connection.close().subscribe().with(ignored -> {}, failure -> {});
      return;
    }
    connection.exceptionHandler(failure -> lost(slot, connection));
    connection.endHandler(() -> lost(slot, connection));
    loops[slot] = Thread.currentThread();
    connections.set(slot, connection);
    connecting[slot].set(false);
  }

  private void lost(int slot, RedisConnection connection) {
    if (connections.compareAndSet(slot, connection, null)) {
      LOG.debugf("Redis connection %d lost; calls use the pool until it is replaced", slot);
      connection.close().subscribe().with(ignored -> {}, failure -> {});
    }
  }

  /** At most one attempt per slot and delay while Redis is away. */
  private void retryLater(int slot) {
    contexts[slot]
        .owner()
        .setTimer(config.resubscribeDelay().toMillis(), id -> connecting[slot].set(false));
  }
}
