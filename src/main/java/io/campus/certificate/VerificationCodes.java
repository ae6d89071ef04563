package io.campus.certificate;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Certificate verification codes: 16 characters of Crockford base32 (80 random bits), so codes
 * cannot be guessed and read unambiguously (no I, L, O or U).
 */
public final class VerificationCodes {

  static final int LENGTH = 16;
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final Pattern FORMAT = Pattern.compile("^[0-9A-HJKMNP-TV-Z]{16}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private VerificationCodes() {}

  public static String generate() {
    char[] code = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(code);
  }

  /** The code in canonical (upper) case, or null when it cannot be a verification code. */
  public static String normalize(String code) {
    if (code == null || code.length() != LENGTH) {
      return null;
    }
    String upper = code.toUpperCase(Locale.ROOT);
    return FORMAT.matcher(upper).matches() ? upper : null;
  }
}
