package io.campus.platform.cache;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;

/**
 * The options Quarkus builds the Redis data client with from {@code quarkus.redis.*}: endpoints,
 * password, client name, TCP and TLS settings. The cache's own clients ({@link
 * RedisL2#ownClientOptions}) start from them, so whatever configures the data client configures
 * those too.
 */
@Singleton
public class DataClientOptions implements RedisOptionsCustomizer {

  // Quarkus's name of the client configured by the unnamed quarkus.redis.* properties.
  private static final String DEFAULT_CLIENT = "<default>";

  private volatile RedisOptions options;

  @Override
  public void customize(String clientName, RedisOptions options) {
    if (DEFAULT_CLIENT.equals(clientName)) {
      // Kept, not copied: customizers that run after this one see the same instance.
      this.options = options;
    }
  }

  /** Built while Quarkus starts its Redis clients, before any bean of ours starts. */
  RedisOptions get() {
    RedisOptions built = options;
    if (built == null) {
      throw new IllegalStateException("The Redis data client (quarkus.redis.*) was not built");
    }
    return built;
  }
}
