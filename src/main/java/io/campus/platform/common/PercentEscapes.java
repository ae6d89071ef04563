package io.campus.platform.common;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a request target whose percent-escapes decode to text no resource can take: a NUL
 * (PostgreSQL can neither store nor compare it) or bytes that are not UTF-8 (the decoders would
 * silently turn them into U+FFFD, and a search would look for that).
 */
final class PercentEscapes {

  static final String NOT_UTF8 = "must be UTF-8 once percent-decoded";

  private PercentEscapes() {}

  /** One error for the path and one per offending query parameter; empty if all decode cleanly. */
  static List<Problem.FieldError> errors(String uri) {
    int query = uri.indexOf('?');
    List<Problem.FieldError> errors = new ArrayList<>();
    String path = problem(query < 0 ? uri : uri.substring(0, query));
    if (path != null) {
      errors.add(new Problem.FieldError("path", path));
    }
    if (query < 0) {
      return errors;
    }
    // The same separators as the query decoder of Vert.x, and one entry for a repeated name.
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : uri.substring(query + 1).split("[&;]")) {
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String name = problem(rawName);
      String value = name != null ? name : problem(eq < 0 ? "" : pair.substring(eq + 1));
      if (value != null) {
        // A name that does not decode is shown as it was sent.
        parameters.putIfAbsent(
            name != null ? rawName : QueryStringDecoder.decodeComponent(rawName), value);
      }
    }
    parameters.entrySet().stream()
        .map(p -> new Problem.FieldError(p.getKey(), p.getValue()))
        .sorted(Comparator.comparing(Problem.FieldError::field))
        .forEach(errors::add);
    return errors;
  }

  /** Why the decoded text cannot be taken, or null when it can. */
  private static String problem(String raw) {
    if (raw.indexOf('%') < 0) {
      return null;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes(raw)))
              .toString();
    } catch (CharacterCodingException e) {
      return NOT_UTF8;
    }
    return text.indexOf('\0') >= 0 ? StrictJson.NUL_MESSAGE : null;
  }

  private static byte[] bytes(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (c == '%' && low >= 0) {
        out.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        // A raw non-ASCII character is text already; only escapes can carry broken bytes.
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
