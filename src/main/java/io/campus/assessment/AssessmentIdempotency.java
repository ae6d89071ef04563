package io.campus.assessment;

import io.campus.platform.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Idempotency-Key handling of submissions: the key's syntax, the hash that tells a retry from
 * another request, and the answer from a stored record.
 */
@ApplicationScoped
public class AssessmentIdempotency {

  static final String KEY_HEADER = "Idempotency-Key";
  static final int MAX_KEY = 200;

  private final AssessmentRepository assessments;

  public AssessmentIdempotency(AssessmentRepository assessments) {
    this.assessments = assessments;
  }

  static void checkKey(String key) {
    if (key == null) {
      return;
    }
    boolean printable = !key.isEmpty() && key.length() <= MAX_KEY;
    for (int i = 0; printable && i < key.length(); i++) {
      char c = key.charAt(i);
      printable = c >= 0x20 && c <= 0x7e;
    }
    if (!printable) {
      throw ProblemException.invalidField(
          KEY_HEADER, "must be 1 to " + MAX_KEY + " printable ASCII characters");
    }
  }

  /** The stored answer of a live key, unless the key was used for another request (a 422). */
  static AssessmentMapper.Outcome replay(
      AssessmentRepository.StoredKey stored, byte[] hash, boolean single) {
    if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
      throw ProblemException.unprocessable(
          "This Idempotency-Key was already used for a different request; use a new key.");
    }
    return AssessmentMapper.replay(single, stored.status(), stored.response());
  }

  /**
   * A concurrent request with the same key committed first, so this one wrote nothing: answer with
   * the winner's stored response (or 422 if the winner's request differed). This costs one more
   * statement, on this rare path only.
   */
  Uni<AssessmentMapper.Outcome> afterKeyRace(
      long callerId, String key, byte[] hash, boolean single) {
    return assessments
        .findKey(callerId, key)
        .map(
            stored -> {
              if (stored == null) {
                // the winner's record expired in the meantime
                throw ProblemException.conflict(
                    "A concurrent request with this Idempotency-Key was recorded first;"
                        + " retry to receive the current answer.");
              }
              return replay(stored, hash, single);
            });
  }

  /**
   * SHA-256 of a canonical form of the request: the endpoint and every item field as sent, each
   * length-prefixed, so formatting and key order of the JSON do not matter but any value does.
   */
  static byte[] requestHash(boolean single, List<AssessmentDtos.AssessmentInput> items) {
    StringBuilder sb = new StringBuilder(single ? "one" : "bulk");
    for (AssessmentDtos.AssessmentInput item : items) {
      sb.append('\n');
      if (item == null) {
        sb.append('!');
        continue;
      }
      field(sb, item.studentId());
      field(sb, item.courseId());
      field(sb, item.skill());
      field(sb, item.score() == null ? null : item.score().stripTrailingZeros().toPlainString());
      field(sb, item.feedback() == null ? "" : item.feedback());
      field(sb, item.assessedOn());
    }
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void field(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append('~');
    } else {
      String s = value.toString();
      sb.append(s.length()).append(':').append(s);
    }
    sb.append(';');
  }
}
