package io.campus.platform.ops;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Redis data client (built by Quarkus from {@code quarkus.redis.*}) verifies the server as the
 * cache's subscriber does ({@link BackendTls}): Quarkus applies the named TLS configuration's CA
 * but leaves the host name unchecked unless that configuration sets an algorithm. It runs while the
 * client is built, before the TLS registry can be looked up, so it needs only the name (the
 * registry's own checks run in {@link BackendTls} at start-up).
 */
@Singleton
public class RedisTls implements RedisOptionsCustomizer {

  private final Optional<String> configurationName;

  public RedisTls(@ConfigProperty(name = BackendTls.REDIS_KEY) Optional<String> name) {
    this.configurationName = name;
  }

  @Override
  public void customize(String clientName, RedisOptions options) {
    BackendTls.verifiedRedis(
        options.getEndpoints(), options.getNetClientOptions(), configurationName);
  }
}
