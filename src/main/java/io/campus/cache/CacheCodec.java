package io.campus.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * Redis value format: {@code <fingerprint>|<json>} or {@code <fingerprint>|} for a remembered miss.
 * A value whose fingerprint differs (written by another version of the service) is a miss.
 */
@ApplicationScoped
public class CacheCodec {

  private static final Logger LOG = Logger.getLogger(CacheCodec.class);
  static final Object ABSENT = new Object();

  private final ObjectMapper mapper;

  public CacheCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Decoded value, {@link #ABSENT} for a remembered miss, or null when unreadable. */
  Object decode(CacheSpec<?> spec, byte[] bytes) {
    byte[] prefix = (spec.fingerprint() + "|").getBytes(StandardCharsets.US_ASCII);
    if (bytes.length < prefix.length
        || !Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length)) {
      return null;
    }
    if (bytes.length == prefix.length) {
      return ABSENT;
    }
    try {
      return mapper
          .readerFor(spec.type())
          .readValue(bytes, prefix.length, bytes.length - prefix.length);
    } catch (IOException e) {
      LOG.debugf("Unreadable cached value in %s: %s", spec.name(), e.getMessage());
      return null;
    }
  }

  byte[] encode(CacheSpec<?> spec, Object value) {
    String prefix = spec.fingerprint() + "|";
    if (value == null || value == ABSENT) {
      return prefix.getBytes(StandardCharsets.US_ASCII);
    }
    try {
      byte[] json = mapper.writerFor(spec.type()).writeValueAsBytes(value);
      byte[] out = new byte[prefix.length() + json.length];
      System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, out, 0, prefix.length());
      System.arraycopy(json, 0, out, prefix.length(), json.length);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise a value of " + spec.name(), e);
    }
  }
}
