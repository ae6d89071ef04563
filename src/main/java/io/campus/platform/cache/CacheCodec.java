package io.campus.platform.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.campus.platform.common.HmacSha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import org.jboss.logging.Logger;

/**
 * Redis value format: {@code <fingerprint>|<tag><written at><readable until><json>}, without the
 * json for a remembered miss; both times are epoch milliseconds, 8 bytes each. The tag is an
 * HMAC-SHA256 over the Redis key and everything after it, with a secret Redis never sees ({@code
 * campus.cache.hmac-key}): a value written by anyone else, edited, or copied from another key
 * (another token's session, say) is a miss, never trusted. So is an authentic value put back after
 * its life (the Redis TTL is not authenticated, the signed time is) or written before this instance
 * saw its key evicted: whoever can write to Redis cannot replay a revoked session or an old role. A
 * value whose fingerprint differs (written by another version of the service) is a miss too.
 */
@ApplicationScoped
public class CacheCodec {

  private static final Logger LOG = Logger.getLogger(CacheCodec.class);
  static final Object ABSENT = new Object();
  static final int TAG_LENGTH = 32;
  static final int TIMES_LENGTH = 16;
  // Part of every tag: values of the earlier format (no times) fail the check instead of being
  // misread.
  private static final byte FORMAT = 2;

  private final ObjectMapper mapper;
  private final HmacSha256 hmac;

  public CacheCodec(ObjectMapper mapper, CacheConfig config) {
    this.mapper = mapper;
    byte[] key;
    if (config.hmacKey().filter(k -> !k.isBlank()).isPresent()) {
      key = config.hmacKey().get().getBytes(StandardCharsets.UTF_8);
      if (key.length < 32) {
        LOG.warn("campus.cache.hmac-key is shorter than 32 bytes; use a longer random secret");
      }
    } else {
      key = new byte[32];
      new SecureRandom().nextBytes(key);
      LOG.warn(
          "campus.cache.hmac-key is not set: using a random key, so instances cannot share"
              + " Redis values; set the same secret on every instance");
    }
    this.hmac = new HmacSha256(key);
  }

  /**
   * Decoded value, {@link #ABSENT} for a remembered miss, or null when unreadable, of another
   * version, not authentic, past its life, or written at or before {@code evictedAt} (epoch ms;
   * when this instance last saw the key evicted, 0 if never).
   */
  Object decode(CacheSpec<?> spec, String redisKey, byte[] bytes, long evictedAt) {
    byte[] prefix = (spec.fingerprint() + "|").getBytes(StandardCharsets.US_ASCII);
    int body = prefix.length + TAG_LENGTH;
    int json = body + TIMES_LENGTH;
    if (bytes.length < json || !Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length)) {
      return null;
    }
    byte[] expected = tag(redisKey, bytes, body, bytes.length - body);
    byte[] actual = Arrays.copyOfRange(bytes, prefix.length, body);
    if (!MessageDigest.isEqual(expected, actual)) {
      LOG.debugf("Rejected a Redis value of %s with a wrong authentication tag", spec.name());
      return null;
    }
    ByteBuffer times = ByteBuffer.wrap(bytes, body, TIMES_LENGTH);
    long writtenAt = times.getLong();
    long readableUntil = times.getLong();
    if (System.currentTimeMillis() > readableUntil || writtenAt <= evictedAt) {
      LOG.debugf(
          "Rejected a Redis value of %s written at %d: past its life or evicted since",
          spec.name(), writtenAt);
      return null;
    }
    if (bytes.length == json) {
      return ABSENT;
    }
    try {
      return mapper.readerFor(spec.type()).readValue(bytes, json, bytes.length - json);
    } catch (IOException e) {
      LOG.debugf("Unreadable cached value in %s: %s", spec.name(), e.getMessage());
      return null;
    }
  }

  /**
   * The Redis value of an entry read from its source at {@code writtenAt} (epoch ms), to be read
   * for {@code lifeMillis} from then.
   */
  byte[] encode(CacheSpec<?> spec, String redisKey, Object value, long writtenAt, long lifeMillis) {
    byte[] prefix = (spec.fingerprint() + "|").getBytes(StandardCharsets.US_ASCII);
    byte[] json;
    try {
      json =
          value == null || value == ABSENT
              ? new byte[0]
              : mapper.writerFor(spec.type()).writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise a value of " + spec.name(), e);
    }
    byte[] payload =
        ByteBuffer.allocate(TIMES_LENGTH + json.length)
            .putLong(writtenAt)
            .putLong(writtenAt + lifeMillis)
            .put(json)
            .array();
    byte[] out = new byte[prefix.length + TAG_LENGTH + payload.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(tag(redisKey, payload, 0, payload.length), 0, out, prefix.length, TAG_LENGTH);
    System.arraycopy(payload, 0, out, prefix.length + TAG_LENGTH, payload.length);
    return out;
  }

  /**
   * HMAC of the format, the key's length, the key and the payload: no two (key, payload) pairs
   * share input.
   */
  private byte[] tag(String redisKey, byte[] payload, int offset, int length) {
    Mac mac = hmac.mac();
    mac.update(FORMAT);
    byte[] key = redisKey.getBytes(StandardCharsets.UTF_8);
    mac.update(Integer.toString(key.length).getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) ':');
    mac.update(key);
    mac.update(payload, offset, length);
    return mac.doFinal();
  }
}
