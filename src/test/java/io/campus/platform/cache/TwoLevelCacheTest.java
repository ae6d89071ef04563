package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.common.ProblemException;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two cache instances with separate L1s over the one Redis, as two replicas would be: the injected
 * one and a second built by hand with a short L1 TTL.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class TwoLevelCacheTest {

  record Item(String name, int version) {}

  static final CacheSpec<Item> ITEMS = CacheSpec.of("test-items", Item.class);
  static final CacheSpec<Item> STALE_IF_ERROR = CacheSpec.of("test-stale-items", Item.class);

  @Inject TwoLevelCache a;
  @Inject RedisL2 redis;
  @Inject CacheConfig config;
  @Inject CacheCodec codec;
  @Inject CacheMetrics metrics;
  @Inject Vertx vertx;

  TwoLevelCache b;

  @BeforeEach
  void secondInstance() {
    b =
        new TwoLevelCache(
            redis, new ShortL1(config, Duration.ofMillis(700)), codec, metrics, vertx);
    b.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> a.subscribed() && b.subscribed());
  }

  @AfterEach
  void stopSecond() {
    b.stop();
  }

  private static <T> T join(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void aWriteThroughOneInstanceIsNotServedStaleByTheOther() {
    String key = TestData.unique("k");
    AtomicReference<Item> database = new AtomicReference<>(new Item("first", 1));
    assertThat(join(a.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(1);
    assertThat(join(b.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(1);

    database.set(new Item("second", 2));
    join(a.evict(ITEMS, key));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                join(b.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version()
                    == 2);
    assertThat(join(a.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(2);
  }

  @Test
  void anL1EntryLivesNoLongerThanItsTtlEvenIfAnInvalidationIsMissed() throws Exception {
    String key = TestData.unique("ttl");
    AtomicReference<Item> database = new AtomicReference<>(new Item("first", 1));
    assertThat(join(b.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(1);
    // The value changes and Redis forgets it, but no message reaches b.
    database.set(new Item("second", 2));
    Long generation = join(a.version("cache:" + ITEMS.name()));
    join(
        redis.send(
            Request.cmd(Command.DEL)
                .arg(config.keyPrefix() + "c:" + ITEMS.name() + "@" + generation + ":" + key)));
    assertThat(join(b.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(1);
    Thread.sleep(900);
    assertThat(join(b.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(2);
  }

  @Test
  void twoHundredConcurrentMissesShareOneLoadPerInstance() {
    String key = TestData.unique("stampede");
    AtomicInteger loads = new AtomicInteger();
    List<CompletableFuture<Item>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(a.get(ITEMS, key, () -> slowLoad(loads)).subscribeAsCompletionStage());
    }
    calls.forEach(CompletableFuture::join);
    assertThat(loads.get()).isEqualTo(1);
    assertThat(calls).allSatisfy(c -> assertThat(c.join().name()).isEqualTo("loaded"));
  }

  @Test
  void concurrentMissesOnTwoInstancesLoadAtMostTwice() {
    String key = TestData.unique("stampede2");
    AtomicInteger loads = new AtomicInteger();
    List<CompletableFuture<Item>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      TwoLevelCache instance = i % 2 == 0 ? a : b;
      calls.add(instance.get(ITEMS, key, () -> slowLoad(loads)).subscribeAsCompletionStage());
    }
    calls.forEach(CompletableFuture::join);
    assertThat(loads.get()).isBetween(1, 2);
  }

  @Test
  void missesAreRememberedBriefly() {
    String key = TestData.unique("missing");
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      Item found =
          join(
              a.get(
                  ITEMS,
                  key,
                  () -> {
                    loads.incrementAndGet();
                    return Uni.createFrom().nullItem();
                  }));
      assertThat(found).isNull();
    }
    assertThat(loads.get()).isEqualTo(1);
    // the other instance finds the remembered miss in Redis
    assertThat(
            join(
                b.get(
                    ITEMS,
                    key,
                    () -> {
                      loads.incrementAndGet();
                      return Uni.createFrom().nullItem();
                    })))
        .isNull();
    assertThat(loads.get()).isEqualTo(1);
  }

  @Test
  void aTagBumpReachesTheOtherInstance() {
    String tag = TestData.unique("tag");
    long before = join(b.version(tag));
    join(a.bump(tag));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> join(b.version(tag)) == before + 1);
  }

  @Test
  void valuesOfAnotherShapeAreNotReadAsThisOne() {
    record Other(String different) {}
    CacheSpec<Other> other = CacheSpec.of(ITEMS.name(), Other.class);
    assertThat(other.fingerprint()).isNotEqualTo(ITEMS.fingerprint());
    byte[] item = codec.encode(ITEMS, "k", new Item("x", 1), System.currentTimeMillis(), 60_000);
    assertThat(codec.decode(other, "k", item, 0)).isNull();
    assertThat(codec.decode(ITEMS, "k", item, 0)).isEqualTo(new Item("x", 1));
    // authenticated and bound to its key
    assertThat(codec.decode(ITEMS, "k2", item, 0)).isNull();
    byte[] edited = item.clone();
    edited[edited.length - 2]++;
    assertThat(codec.decode(ITEMS, "k", edited, 0)).isNull();
  }

  @Test
  void aValueIsReadOnlyWithinItsSignedLifeAndAfterTheLastEvictionSeen() throws Exception {
    byte[] brief = codec.encode(ITEMS, "k", new Item("x", 1), System.currentTimeMillis(), 1);
    Thread.sleep(20);
    assertThat(codec.decode(ITEMS, "k", brief, 0)).as("past its life").isNull();

    long before = System.currentTimeMillis() - 1;
    byte[] item = codec.encode(ITEMS, "k", new Item("x", 1), System.currentTimeMillis(), 60_000);
    assertThat(codec.decode(ITEMS, "k", item, before)).isEqualTo(new Item("x", 1));
    assertThat(codec.decode(ITEMS, "k", item, System.currentTimeMillis() + 1))
        .as("written before an eviction")
        .isNull();
  }

  @Test
  void aLoadUnderWayWhenItsKeyIsEvictedIsNeitherJoinedNorKept() {
    String key = TestData.unique("racing");
    CompletableFuture<Void> reading = new CompletableFuture<>();
    CompletableFuture<Item> beforeTheChange = new CompletableFuture<>();
    CompletableFuture<Item> first =
        a.get(
                ITEMS,
                key,
                () -> {
                  reading.complete(null);
                  return Uni.createFrom().completionStage(beforeTheChange);
                })
            .subscribeAsCompletionStage();
    reading.join();

    join(a.evict(ITEMS, key));
    assertThat(
            join(a.get(ITEMS, key, () -> Uni.createFrom().item(new Item("second", 2)))).version())
        .as("a read after the eviction does not wait for the load that began before it")
        .isEqualTo(2);
    beforeTheChange.complete(new Item("first", 1));
    assertThat(first.join().version()).isEqualTo(1);

    assertThat(join(a.get(ITEMS, key, () -> Uni.createFrom().item(new Item("third", 3)))).version())
        .isEqualTo(2);
    assertThat(join(b.get(ITEMS, key, () -> Uni.createFrom().item(new Item("third", 3)))).version())
        .isEqualTo(2);
  }

  @Test
  void anAuthenticValuePutBackIntoRedisAfterItsEvictionIsNotServed() {
    String key = TestData.unique("replay");
    AtomicReference<Item> database = new AtomicReference<>(new Item("first", 1));
    assertThat(join(a.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(1);
    Long generation = join(a.version("cache:" + ITEMS.name()));
    String redisKey = config.keyPrefix() + "c:" + ITEMS.name() + "@" + generation + ":" + key;
    byte[] captured = join(redis.send(Request.cmd(Command.GET).arg(redisKey))).response().toBytes();

    database.set(new Item("second", 2));
    join(a.evict(ITEMS, key));
    join(redis.send(Request.cmd(Command.SET).arg(redisKey).arg(captured)));

    assertThat(join(a.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version())
        .isEqualTo(2);
    // and again for the other instance, which learns of the eviction by message (L1: 700 ms)
    join(redis.send(Request.cmd(Command.SET).arg(redisKey).arg(captured)));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                join(b.get(ITEMS, key, () -> Uni.createFrom().item(database.get()))).version()
                    == 2);
  }

  @Test
  void aValueSeenBeforeIsServedWhenLoadingFailsUntilItIsInvalidated() throws Exception {
    String key = TestData.unique("stale");
    AtomicReference<Uni<Item>> database =
        new AtomicReference<>(Uni.createFrom().item(new Item("first", 1)));
    assertThat(join(b.get(STALE_IF_ERROR, key, database::get)).version()).isEqualTo(1);
    join(b.get(ITEMS, key, () -> Uni.createFrom().item(new Item("plain", 1))));
    forgetInRedis(STALE_IF_ERROR, key);
    forgetInRedis(ITEMS, key);
    Thread.sleep(900); // past b's L1 TTL

    database.set(Uni.createFrom().failure(new IllegalStateException("database down")));
    assertThat(join(b.get(STALE_IF_ERROR, key, database::get)).version()).isEqualTo(1);
    assertThat(
            Uni.createFrom()
                .deferred(() -> b.get(ITEMS, key, database::get))
                .onFailure()
                .recoverWithItem(new Item("failed", 0))
                .await()
                .atMost(Duration.ofSeconds(10))
                .name())
        .as("a cache without stale-if-error passes the failure on")
        .isEqualTo("failed");

    // An answer about the request itself is not an outage: no stale value hides it.
    Uni<Item> notFound = Uni.createFrom().failure(ProblemException.notFound("gone"));
    assertThat(
            b.get(STALE_IF_ERROR, key, () -> notFound)
                .onFailure(ProblemException.class)
                .recoverWithItem(new Item("404", 0))
                .await()
                .atMost(Duration.ofSeconds(10))
                .name())
        .isEqualTo("404");

    // Invalidated on another instance: the old value must never come back, outage or not.
    join(a.evict(STALE_IF_ERROR, key));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                b.get(STALE_IF_ERROR, key, database::get)
                    .onFailure()
                    .recoverWithItem(new Item("failed", 0))
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .name()
                    .equals("failed"));
  }

  private void forgetInRedis(CacheSpec<?> spec, String key) {
    Long generation = join(a.version("cache:" + spec.name()));
    join(
        redis.send(
            Request.cmd(Command.DEL)
                .arg(config.keyPrefix() + "c:" + spec.name() + "@" + generation + ":" + key)));
  }

  private Uni<Item> slowLoad(AtomicInteger loads) {
    return Uni.createFrom()
        .item(() -> new Item("loaded", loads.incrementAndGet()))
        .onItem()
        .delayIt()
        .by(Duration.ofMillis(150));
  }

  /** The real configuration with a shorter L1 TTL. */
  record ShortL1(CacheConfig delegate, Duration l1) implements CacheConfig {
    @Override
    public java.util.Optional<String> hmacKey() {
      return delegate.hmacKey();
    }

    @Override
    public boolean redisEnabled() {
      return delegate.redisEnabled();
    }

    @Override
    public Duration redisTimeout() {
      return delegate.redisTimeout();
    }

    @Override
    public Duration redisBatchTimeout() {
      return delegate.redisBatchTimeout();
    }

    @Override
    public int redisConnections() {
      return delegate.redisConnections();
    }

    @Override
    public String keyPrefix() {
      return delegate.keyPrefix();
    }

    @Override
    public String channel() {
      return delegate.channel();
    }

    @Override
    public Duration l1MaxTtl() {
      return l1;
    }

    @Override
    public long l1MaxSize() {
      return delegate.l1MaxSize();
    }

    @Override
    public Duration negativeTtl() {
      return delegate.negativeTtl();
    }

    @Override
    public double jitter() {
      return delegate.jitter();
    }

    @Override
    public Duration lockTtl() {
      return delegate.lockTtl();
    }

    @Override
    public Duration lockPollInterval() {
      return delegate.lockPollInterval();
    }

    @Override
    public int lockPolls() {
      return delegate.lockPolls();
    }

    @Override
    public Duration resubscribeDelay() {
      return delegate.resubscribeDelay();
    }

    @Override
    public Duration defaultTtl() {
      return delegate.defaultTtl();
    }

    @Override
    public Map<String, Named> caches() {
      Map<String, Named> caches = new java.util.HashMap<>(delegate.caches());
      caches.put(STALE_IF_ERROR.name(), new StaleIfError(Duration.ofMinutes(1)));
      return caches;
    }
  }

  record StaleIfError(Duration grace) implements CacheConfig.Named {
    @Override
    public Duration ttl() {
      return Duration.ofMinutes(5);
    }

    @Override
    public java.util.Optional<Long> l1MaxSize() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<Duration> staleIfError() {
      return java.util.Optional.of(grace);
    }
  }
}
