package io.campus.platform.common;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An opaque keyset cursor: the sort key of the last row of a page plus a digest of the ordering it
 * belongs to (which may hold a search query of any characters), and an HMAC of both, base64url
 * encoded. Clients pass it back unchanged; anything else is a 400. The HMAC keeps the cursors a
 * listing accepts to the ones it handed out: a cursor is part of cached pages' keys, so forged ones
 * (any time, any id) would each cost a query and a cache entry.
 */
public final class Cursor {

  private static final int TAG_LENGTH = 16;
  private static volatile HmacSha256 signer = new HmacSha256(randomSecret());

  /**
   * The format of the cursors this version writes and reads (c3: signed). Cached pages carry
   * cursors, so it is part of their cache fingerprint (CacheSpec): change it with the format, and
   * pages cached by a version with other cursors are a miss instead of a page 2 that answers 400.
   */
  public static final String FORMAT = "c3";

  // Above the longest cursor encode() makes: a 200-character title of 3-byte characters as a key.
  private static final int MAX_LENGTH = 1024;
  // Times and days every listing's keys lie within; PostgreSQL refuses some outside (a 500).
  private static final java.time.OffsetDateTime EARLIEST =
      java.time.OffsetDateTime.parse("0001-01-01T00:00:00Z");
  private static final java.time.OffsetDateTime LATEST =
      java.time.OffsetDateTime.parse("9999-12-31T23:59:59.999999Z");

  private Cursor() {}

  /**
   * Signs and checks cursors with this secret from now on; every instance needs the same one to
   * read the others' cursors (without it, each uses a random one of its own).
   */
  public static void signWith(byte[] secret) {
    signer = new HmacSha256(secret);
  }

  public static String encode(String ordering, Object... keys) {
    StringBuilder sb = new StringBuilder(FORMAT).append('\u001f').append(digest(ordering));
    for (Object key : keys) {
      sb.append('\u001f').append(key);
    }
    byte[] payload = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] signed = Arrays.copyOf(payload, payload.length + TAG_LENGTH);
    System.arraycopy(tag(payload), 0, signed, payload.length, TAG_LENGTH);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
  }

  /**
   * Decodes a cursor made by {@link #encode} for the same ordering; returns null for a null or
   * empty cursor (first page).
   */
  public static List<String> decode(String cursor, String ordering, int keyCount) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    if (cursor.length() > MAX_LENGTH) {
      throw invalid();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // The decoder takes padding and stray trailing bits: only the exact spelling encode() made is
    // one of ours, so an altered cursor is refused rather than read as some other position.
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
      throw invalid();
    }
    if (bytes.length <= TAG_LENGTH) {
      throw invalid();
    }
    byte[] payload = Arrays.copyOf(bytes, bytes.length - TAG_LENGTH);
    if (!java.security.MessageDigest.isEqual(
        tag(payload), Arrays.copyOfRange(bytes, payload.length, bytes.length))) {
      throw invalid();
    }
    String raw = new String(payload, StandardCharsets.UTF_8);
    // A NUL is never in a key encode() wrote (an appended "A" adds one), and PostgreSQL could not
    // compare it.
    if (raw.indexOf('\0') >= 0) {
      throw invalid();
    }
    String[] parts = raw.split("\u001f", -1);
    if (parts.length != keyCount + 2
        || !FORMAT.equals(parts[0])
        || !digest(ordering).equals(parts[1])) {
      throw invalid();
    }
    List<String> keys = new ArrayList<>(keyCount);
    for (int i = 2; i < parts.length; i++) {
      keys.add(parts[i]);
    }
    return keys;
  }

  private static byte[] tag(byte[] payload) {
    return Arrays.copyOf(signer.mac().doFinal(payload), TAG_LENGTH);
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    return secret;
  }

  /** Names an ordering in a few characters, whatever it holds. */
  private static String digest(String ordering) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(ordering.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public static long longKey(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  /** A day written as its epoch day (e.g. {@code LocalDate.toEpochDay()}). */
  public static java.time.LocalDate dayKey(String value) {
    long day = longKey(value);
    if (day < EARLIEST.toLocalDate().toEpochDay() || day > LATEST.toLocalDate().toEpochDay()) {
      throw invalid();
    }
    return java.time.LocalDate.ofEpochDay(day);
  }

  public static java.time.OffsetDateTime timeKey(String value) {
    java.time.OffsetDateTime time;
    try {
      time = java.time.OffsetDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw invalid();
    }
    if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
      throw invalid();
    }
    return time;
  }

  public static float floatKey(String value) {
    try {
      return Float.parseFloat(value);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  private static ProblemException invalid() {
    return ProblemException.invalidField(
        "cursor", "is not a cursor returned by this listing; start again without it");
  }
}
