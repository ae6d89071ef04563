package io.campus.platform.cache;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The pub/sub channel of {@link TwoLevelCache} that carries invalidations to every instance's L1. A
 * message is the sender's instance id, a kind ({@code k} full keys, {@code t} tags, {@code c} whole
 * caches) and its items, one per line. Messages are fire-and-forget: after losing the subscription
 * this instance clears its L1, and once it is back it clears it again and lets the cache replay
 * what it could not send meanwhile.
 */
final class InvalidationBus {

  // The cache's own category: these messages have always been logged as the cache's.
  private static final Logger LOG = Logger.getLogger(TwoLevelCache.class);

  private final RedisL2 redis;
  private final CacheConfig config;
  private final CacheMetrics metrics;
  private final Vertx vertx;
  private final String instanceId;
  private final LocalLayer local;
  private final TagVersions tags;
  private final Runnable clearLocal;
  private final Runnable replayPending;

  private final AtomicBoolean subscribing = new AtomicBoolean();
  private volatile RedisConnection subscription;
  private volatile boolean everSubscribed;
  private volatile boolean stopped;
  private volatile boolean refusalLogged;

  InvalidationBus(
      RedisL2 redis,
      CacheConfig config,
      CacheMetrics metrics,
      Vertx vertx,
      String instanceId,
      LocalLayer local,
      TagVersions tags,
      Runnable clearLocal,
      Runnable replayPending) {
    this.redis = redis;
    this.config = config;
    this.metrics = metrics;
    this.vertx = vertx;
    this.instanceId = instanceId;
    this.local = local;
    this.tags = tags;
    this.clearLocal = clearLocal;
    this.replayPending = replayPending;
  }

  /** The PUBLISH of one invalidation message from this instance. */
  Request publishRequest(String kind, Collection<String> items) {
    StringBuilder message = new StringBuilder(instanceId).append('\n').append(kind);
    for (String item : items) {
      message.append('\n').append(item);
    }
    return Request.cmd(Command.PUBLISH).arg(config.channel()).arg(message.toString());
  }

  boolean subscribed() {
    return subscription != null;
  }

  void stop() {
    stopped = true;
    RedisConnection connection = subscription;
    subscription = null;
    if (connection != null) {
      connection.close().subscribe().with(ignored -> {}, failure -> {});
    }
  }

  /** Subscribes to invalidations; retries in the background while Redis is away. */
  void subscribe() {
    if (stopped || !config.redisEnabled() || !subscribing.compareAndSet(false, true)) {
      return;
    }
    redis
        .subscriberClient()
        .connect()
        .ifNoItem()
        .after(Duration.ofSeconds(2))
        .fail()
        .chain(
            connection ->
                confirmed(connection)
                    .onFailure()
                    .call(() -> connection.close().onFailure().recoverWithNull()))
        .subscribe()
        .with(
            this::subscribedTo,
            failure -> {
              subscribing.set(false);
              if (failure instanceof Refused && !refusalLogged) {
                refusalLogged = true;
                LOG.warnf(
                    "Redis refused the cache invalidation subscription (%s); L1 entries live at"
                        + " most campus.cache.l1-max-ttl until it is accepted, tried every %s",
                    failure.getMessage(), config.resubscribeDelay());
              } else {
                LOG.debugf("Cache invalidation channel unavailable: %s", failure.getMessage());
              }
              retrySubscribe();
            });
  }

  /**
   * The connection once Redis has confirmed the subscription. The client completes SUBSCRIBE as
   * soon as it is written and hands Redis's answer to the message handler, a refusal (no permission
   * on the channel, not authenticated) included.
   */
  private Uni<RedisConnection> confirmed(RedisConnection connection) {
    CompletableFuture<Void> confirmation = new CompletableFuture<>();
    connection.handler(
        response -> {
          if (!confirmation.isDone()) {
            if (response != null && response.type() == ResponseType.ERROR) {
              confirmation.completeExceptionally(new Refused(response.toString()));
              return;
            }
            if (response != null
                && response.size() == 3
                && "subscribe".equals(response.get(0).toString())) {
              confirmation.complete(null);
              return;
            }
          }
          onMessage(response);
        });
    connection.exceptionHandler(failure -> lost(connection));
    connection.endHandler(() -> lost(connection));
    return connection
        .send(Request.cmd(Command.SUBSCRIBE).arg(config.channel()))
        .chain(() -> Uni.createFrom().completionStage(confirmation))
        .ifNoItem()
        .after(Duration.ofSeconds(2))
        .fail()
        .replaceWith(connection);
  }

  /** Redis answered the SUBSCRIBE with an error. */
  private static final class Refused extends RuntimeException {
    Refused(String reply) {
      super(reply, null, false, false);
    }
  }

  private void subscribedTo(RedisConnection connection) {
    subscription = connection;
    subscribing.set(false);
    refusalLogged = false;
    if (everSubscribed) {
      // Messages sent while we were away are lost: start from an empty L1.
      clearLocal.run();
      metrics.resubscribed();
      replayPending.run();
      LOG.info("Re-subscribed to cache invalidations; local cache cleared");
    }
    everSubscribed = true;
  }

  private void lost(RedisConnection connection) {
    if (!stopped && subscription == connection) {
      subscription = null;
      clearLocal.run();
      LOG.warn("Lost the cache invalidation channel; serving from the database until it is back");
      retrySubscribe();
    }
  }

  private void retrySubscribe() {
    if (!stopped) {
      vertx.setTimer(config.resubscribeDelay().toMillis(), id -> subscribe());
    }
  }

  private void onMessage(Response response) {
    if (response == null || response.size() < 3 || !"message".equals(response.get(0).toString())) {
      return;
    }
    String[] lines = response.get(2).toString().split("\n");
    if (lines.length < 2 || instanceId.equals(lines[0])) {
      return;
    }
    for (int i = 2; i < lines.length; i++) {
      String item = lines[i];
      switch (lines[1]) {
        case "k" -> {
          int colon = item.indexOf(':');
          if (colon > 0) {
            String name = item.substring(0, colon);
            local.invalidate(name, item);
            metrics.eviction(name, "remote");
          }
        }
        case "t" -> tags.forget(item);
        case "c" -> {
          local.invalidateAll(item);
          metrics.eviction(item, "remote");
        }
        default -> LOG.debugf("Unknown invalidation kind %s", lines[1]);
      }
    }
  }
}
