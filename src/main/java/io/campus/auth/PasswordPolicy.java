package io.campus.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be (OWASP ASVS 2.1): at least {@link #MIN_CHARACTERS} characters, at
 * most {@link #MAX_BYTES} bytes of UTF-8 (bcrypt ignores everything after the 72nd byte, so a
 * longer password would be accepted by its first 72 bytes alone), and none of the common passwords
 * shipped in {@code security/common-passwords.txt}, also not padded with digits or symbols or
 * repeated. Checked as a Bean Validation constraint ({@link StrongPassword}) so its message joins
 * the other field errors of a request. Where the account is known ({@link #problem(String,
 * String)}, {@link #problemOfChange}), it is also not the account's own email address or the part
 * before the {@code @} (whatever the case: the first guesses of anyone who knows the address), and
 * a change picks a password other than the current one.
 */
public final class PasswordPolicy {

  public static final int MIN_CHARACTERS = 12;
  public static final int MAX_BYTES = 72;
  static final String LIST = "security/common-passwords.txt";

  private static final String PADDING = "[0-9\\p{Punct}\\s]+";

  private static final class Common {
    static final Set<String> WORDS = load();
  }

  private PasswordPolicy() {}

  /** The broken rule, or null when the password is acceptable. */
  static String problem(String password) {
    if (password == null) {
      return "is required";
    }
    if (password.codePointCount(0, password.length()) < MIN_CHARACTERS) {
      return "must be at least " + MIN_CHARACTERS + " characters";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "must be at most " + MAX_BYTES + " bytes in UTF-8 (fewer characters outside ASCII)";
    }
    if (isCommon(password)) {
      return "is too common; choose a password that is not on lists of known passwords";
    }
    return null;
  }

  /** The broken rule for a new password of the account with this address, or null. */
  static String problem(String password, String email) {
    String general = problem(password);
    if (general != null) {
      return general;
    }
    String candidate = password.strip();
    String address = email.strip();
    int at = address.lastIndexOf('@');
    if (candidate.equalsIgnoreCase(address)
        || (at > 0 && candidate.equalsIgnoreCase(address.substring(0, at)))) {
      return "must not be your email address or the part before the @";
    }
    return null;
  }

  /** The broken rule for a change from the current password to a new one, or null. */
  static String problemOfChange(String currentPassword, String newPassword, String email) {
    String problem = problem(newPassword, email);
    if (problem == null && newPassword.equals(currentPassword)) {
      // Exact comparison, as bcrypt checks it: another case is another password.
      return "must differ from the current password";
    }
    return problem;
  }

  static boolean isCommon(String password) {
    String lower = password.toLowerCase(Locale.ROOT);
    if (Common.WORDS.contains(lower)) {
      return true;
    }
    String core = lower.replaceAll("^" + PADDING, "").replaceAll(PADDING + "$", "");
    if (core.isEmpty() || Common.WORDS.contains(core)) {
      return true;
    }
    // one short or common unit repeated: "aaaaaaaaaaaa", "abcabcabcabc", "dragondragon"
    for (int unit = 1; unit <= lower.length() / 2; unit++) {
      if (lower.length() % unit == 0
          && lower.substring(unit).equals(lower.substring(0, lower.length() - unit))) {
        String part = lower.substring(0, unit);
        if (unit <= 4 || Common.WORDS.contains(part)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Set<String> load() {
    Set<String> words = new HashSet<>(16_384);
    try (InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(LIST)) {
      if (in == null) {
        throw new IllegalStateException(LIST + " is missing from the application");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        String word = line.strip();
        if (!word.isEmpty() && !word.startsWith("#")) {
          words.add(word.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(words);
  }
}
