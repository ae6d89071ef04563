package io.campus.platform.cache;

import io.vertx.mutiny.redis.client.Response;

/** A Redis answer, or the fact that Redis could not be asked (down, slow, or breaker open). */
public record RedisReply(boolean available, Response response) {

  public static final RedisReply UNAVAILABLE = new RedisReply(false, null);

  boolean isNull() {
    return response == null;
  }
}
