package io.campus.platform.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Cache keys built from request inputs so that no two different inputs share a key. Joining parts
 * with a separator (or {@code String.valueOf} of a null) lets a query parameter such as {@code
 * category=null} or a value holding the separator land on the key of another request, and its
 * (empty) answer would then be served to everyone asking the other one. Here every part carries its
 * type and strings their length, so the encoding is injective; long keys (and keys that UTF-8 could
 * not represent one to one) are replaced by a SHA-256 of the encoding, which bounds Redis key
 * sizes.
 */
public final class CacheKey {

  /** Longest key kept as it is; longer ones are hashed. */
  static final int MAX_PLAIN_LENGTH = 200;

  private CacheKey() {}

  /** A key of the given parts: strings, integral numbers, booleans, enums or nulls. */
  public static String of(Object... parts) {
    StringBuilder key = new StringBuilder();
    for (Object part : parts) {
      if (part == null) {
        key.append('~');
      } else if (part instanceof Long
          || part instanceof Integer
          || part instanceof Short
          || part instanceof Byte) {
        // digits and '-' only, so the ';' terminator cannot occur inside
        key.append('i').append(part).append(';');
      } else if (part instanceof Boolean b) {
        key.append(b ? 'T' : 'F');
      } else if (part instanceof Enum<?> e) {
        appendString(key, 'e', e.name());
      } else if (part instanceof String s) {
        appendString(key, 's', s);
      } else {
        throw new IllegalArgumentException("Unsupported cache key part: " + part.getClass());
      }
    }
    if (key.length() > MAX_PLAIN_LENGTH || !wellFormed(key)) {
      return "#" + sha256(key);
    }
    return key.toString();
  }

  private static void appendString(StringBuilder key, char type, String value) {
    key.append(type).append(value.length()).append(':').append(value);
  }

  /** False when the key holds a lone surrogate, which UTF-8 (Redis keys) would turn into '?'. */
  private static boolean wellFormed(CharSequence key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String sha256(CharSequence key) {
    // Two bytes per char: a charset encoder would replace lone surrogates
    byte[] chars = new byte[key.length() * 2];
    for (int i = 0; i < key.length(); i++) {
      chars[2 * i] = (byte) (key.charAt(i) >> 8);
      chars[2 * i + 1] = (byte) key.charAt(i);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(chars);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
