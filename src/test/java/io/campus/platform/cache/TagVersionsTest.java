package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.NumberType;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Tag versions against Redis replies handed over by hand, in the orders two pipelined connections
 * (one per event loop) can produce: a reply may be handled after a bump or a forget that came later
 * than its request. A version read before either must never come back as the known one, or entries
 * cached under it (data from before the write) are served for up to {@code l1-max-ttl}.
 */
class TagVersionsTest {

  private static final String TAG = "user:42";

  private final Stub redis = new Stub();
  private final TagVersions versions = new TagVersions(redis, config());

  @Test
  void aVersionReadIsKeptAndServedWithoutAskingAgain() {
    CompletableFuture<Long> first = subscribe(versions.version(TAG));
    redis.reply(0, number(7));

    assertThat(first).isCompletedWithValue(7L);
    assertThat(versions.version(TAG).await().indefinitely()).isEqualTo(7L);
    assertThat(redis.sent).hasSize(1);
  }

  @Test
  void aTagNeverBumpedIsAtVersionZero() {
    CompletableFuture<Long> version = subscribe(versions.version(TAG));
    redis.reply(0, null);

    assertThat(version).isCompletedWithValue(0L);
    assertThat(versions.version(TAG).await().indefinitely()).isEqualTo(0L);
    assertThat(redis.sent).hasSize(1);
  }

  @Test
  void aBumpKeepsTheVersionRedisGaveIt() {
    CompletableFuture<Boolean> bumped = subscribe(versions.bump(List.of(TAG), announcement()));
    redis.replyBatch(0, number(8));

    assertThat(bumped).isCompletedWithValue(true);
    assertThat(versions.version(TAG).await().indefinitely()).isEqualTo(8L);
    assertThat(redis.sent).hasSize(1);
  }

  @Test
  void aReadAnsweredAfterABumpDoesNotBringBackTheVersionBeforeIt() {
    // GET sent, then the bump's INCR; Redis ran them in that order (7, then 8) but the INCR's reply
    // came back first, on the other connection.
    CompletableFuture<Long> read = subscribe(versions.version(TAG));
    CompletableFuture<Boolean> bumped = subscribe(versions.bump(List.of(TAG), announcement()));
    redis.replyBatch(1, number(8));
    redis.reply(0, number(7));

    assertThat(bumped).isCompletedWithValue(true);
    assertThat(read).isCompletedWithValue(7L);
    assertThat(versions.version(TAG).await().indefinitely()).isEqualTo(8L);
    assertThat(redis.sent).hasSize(2);
  }

  @Test
  void aReadAnsweredAfterAnotherInstancesBumpIsNotKept() {
    CompletableFuture<Long> read = subscribe(versions.version(TAG));
    // Another instance bumped the tag to 8 and announced it, after our GET read 7.
    versions.forget(TAG);
    redis.reply(0, number(7));
    assertThat(read).isCompletedWithValue(7L);

    CompletableFuture<Long> next = subscribe(versions.version(TAG));
    assertThat(redis.sent).as("asks Redis again").hasSize(2);
    redis.reply(1, number(8));
    assertThat(next).isCompletedWithValue(8L);
  }

  @Test
  void aBumpAnsweredAfterAnotherInstancesBumpIsNotKept() {
    // Ours made it 8, the other instance's 9; its announcement is handled before our reply.
    CompletableFuture<Boolean> bumped = subscribe(versions.bump(List.of(TAG), announcement()));
    versions.forget(TAG);
    redis.replyBatch(0, number(8));
    assertThat(bumped).isCompletedWithValue(true);

    CompletableFuture<Long> next = subscribe(versions.version(TAG));
    assertThat(redis.sent).as("asks Redis again").hasSize(2);
    redis.reply(1, number(9));
    assertThat(next).isCompletedWithValue(9L);
  }

  @Test
  void aReadAnsweredAfterTheLocalCacheWasClearedIsNotKept() {
    CompletableFuture<Long> read = subscribe(versions.version(TAG));
    versions.forgetAll();
    redis.reply(0, number(7));
    assertThat(read).isCompletedWithValue(7L);

    subscribe(versions.version(TAG));
    assertThat(redis.sent).as("asks Redis again").hasSize(2);
  }

  @Test
  void ofTwoReadsAnsweredOutOfOrderTheLaterVersionIsKept() {
    CompletableFuture<Long> first = subscribe(versions.version(TAG));
    CompletableFuture<Long> second = subscribe(versions.version(TAG));
    redis.reply(1, number(8));
    redis.reply(0, number(7));

    assertThat(first).isCompletedWithValue(7L);
    assertThat(second).isCompletedWithValue(8L);
    assertThat(versions.version(TAG).await().indefinitely()).isEqualTo(8L);
    assertThat(redis.sent).hasSize(2);
  }

  private static <T> CompletableFuture<T> subscribe(Uni<T> uni) {
    return uni.subscribe().asCompletionStage();
  }

  private static Response number(long value) {
    return Response.newInstance(NumberType.create(value));
  }

  private static Request announcement() {
    return Request.cmd(Command.PUBLISH).arg("campus:v1:invalidations").arg("other\nt\n" + TAG);
  }

  private static CacheConfig config() {
    return (CacheConfig)
        Proxy.newProxyInstance(
            CacheConfig.class.getClassLoader(),
            new Class<?>[] {CacheConfig.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "keyPrefix" -> "campus:v1:";
                  case "l1MaxSize" -> 10_000L;
                  case "l1MaxTtl" -> Duration.ofSeconds(30);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  /** Redis calls that wait until the test answers them, in the order it chooses. */
  private static final class Stub implements TagVersions.Commands {

    final List<Request> sent = new ArrayList<>();
    private final List<CompletableFuture<Object>> replies = new ArrayList<>();

    @Override
    public Uni<RedisReply> send(Request request) {
      return pending(request).map(response -> new RedisReply(true, (Response) response));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Uni<List<Response>> batch(List<Request> requests) {
      return pending(requests.get(0)).map(responses -> (List<Response>) responses);
    }

    private Uni<Object> pending(Request request) {
      CompletableFuture<Object> reply = new CompletableFuture<>();
      sent.add(request);
      replies.add(reply);
      return Uni.createFrom().completionStage(reply);
    }

    /** Answers the i-th call (a GET) with a number, or null for a key Redis does not have. */
    void reply(int i, Response response) {
      replies.get(i).complete(response);
    }

    /** Answers the i-th call (a bump) with the tag's new version and the PUBLISH's reply. */
    void replyBatch(int i, Response version) {
      Response published = number(1);
      List<Response> responses = new ArrayList<>();
      responses.add(version);
      responses.add(published);
      replies.get(i).complete(responses);
    }
  }
}
