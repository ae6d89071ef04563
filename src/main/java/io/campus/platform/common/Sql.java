package io.campus.platform.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one way Campus writes SQL. A long statement lives in {@code sql/<feature>/<name>.sql}, read
 * once into a static constant of the class that runs it ({@link #load}), so a missing file fails
 * that class at start-up rather than a request later. Each file opens with comment lines naming
 * what it serves and the indexes it relies on; they are dropped on load, so the server, the
 * statement metrics and the slow-statement log see the statement itself. A part decided per call
 * (an optional filter, a keyset condition) is a named slot <code>/*{name}*&#47;</code> that {@link
 * #fill} replaces — with fragments from {@link Where}, never with values.
 */
public final class Sql {

  private static final String OPEN = "/*{";
  private static final String CLOSE = "}*/";

  /**
   * Statements filled per call, one instance per shape: the client finds its prepared statement by
   * the text's hash, which a String computes once per instance, so a statement rebuilt on every
   * call (a keyset page) would be rehashed in full on every call. Fragments come from {@link Where}
   * and carry no values, so the shapes are few; past the bound they are simply not kept.
   */
  private static final ConcurrentMap<Shape, String> SHAPES = new ConcurrentHashMap<>();

  private static final int MAX_SHAPES = 1024;

  private record Shape(String sql, Map<String, ?> fragments) {}

  private Sql() {}

  /** The statement in {@code sql/<name>.sql}, e.g. {@code load("course/browse")}. */
  public static String load(String name) {
    String path = "sql/" + name + ".sql";
    ClassLoader loader = Sql.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "SQL resource " + path + " is not on the classpath (src/main/resources/" + path + ")");
      }
      return withoutLeadingComments(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("SQL resource " + path + " could not be read", e);
    }
  }

  /** Replaces one slot; see {@link #fill(String, Map)}. */
  public static String fill(String sql, String slot, Object fragment) {
    return fill(sql, Map.of(slot, fragment));
  }

  /**
   * Replaces every slot <code>/*{name}*&#47;</code> of {@code sql} with the fragment given for its
   * name. A slot without a fragment, or a fragment without its slot, is a programming error.
   */
  public static String fill(String sql, Map<String, ?> fragments) {
    Shape shape = new Shape(sql, fragments);
    String filled = SHAPES.get(shape);
    if (filled == null) {
      filled = render(sql, fragments);
      if (SHAPES.size() < MAX_SHAPES) {
        SHAPES.putIfAbsent(new Shape(sql, Map.copyOf(fragments)), filled);
      }
    }
    return filled;
  }

  private static String render(String sql, Map<String, ?> fragments) {
    StringBuilder out = new StringBuilder(sql.length() + 64);
    Set<String> used = new HashSet<>();
    int from = 0;
    int open;
    while ((open = sql.indexOf(OPEN, from)) >= 0) {
      int close = sql.indexOf(CLOSE, open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed slot in SQL: " + sql.substring(open));
      }
      String name = sql.substring(open + OPEN.length(), close);
      Object fragment = fragments.get(name);
      if (fragment == null) {
        throw new IllegalArgumentException("no fragment for SQL slot " + name);
      }
      out.append(sql, from, open).append(fragment);
      used.add(name);
      from = close + CLOSE.length();
    }
    if (!used.containsAll(fragments.keySet())) {
      Set<String> unused = new HashSet<>(fragments.keySet());
      unused.removeAll(used);
      throw new IllegalArgumentException("SQL has no slot for " + unused);
    }
    return out.append(sql, from, sql.length()).toString();
  }

  /** Drops the comment lines a resource opens with (and blank lines among them). */
  static String withoutLeadingComments(String text) {
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      String line = (end < 0 ? text.substring(start) : text.substring(start, end)).strip();
      if (!line.isEmpty() && !line.startsWith("--")) {
        break;
      }
      start = end < 0 ? text.length() : end + 1;
    }
    return text.substring(start).stripTrailing() + "\n";
  }
}
