package io.campus.platform.cache;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A named cache and the type of its values. The fingerprint is derived from the shape of the value
 * type (record components, recursively), so a deploy that changes a DTO reads old Redis bytes as a
 * miss instead of as the new type.
 */
public final class CacheSpec<T> {

  private final String name;
  private final JavaType type;
  private final String fingerprint;

  private CacheSpec(String name, JavaType type) {
    this.name = name;
    this.type = type;
    this.fingerprint = fingerprint(type, Cursor.FORMAT);
  }

  public static <T> CacheSpec<T> of(String name, Class<T> type) {
    return new CacheSpec<>(name, TypeFactory.defaultInstance().constructType(type));
  }

  /** For generic value types, e.g. {@code Page<CourseSummary>}. */
  public static <T> CacheSpec<T> of(
      String name, com.fasterxml.jackson.core.type.TypeReference<T> type) {
    return new CacheSpec<>(name, TypeFactory.defaultInstance().constructType(type));
  }

  public String name() {
    return name;
  }

  JavaType type() {
    return type;
  }

  String fingerprint() {
    return fingerprint;
  }

  /** The fingerprint of a value type as a version writing {@code cursorFormat} cursors has it. */
  static String fingerprintFor(
      com.fasterxml.jackson.core.type.TypeReference<?> type, String cursorFormat) {
    return fingerprint(TypeFactory.defaultInstance().constructType(type), cursorFormat);
  }

  private static String fingerprint(JavaType type, String cursorFormat) {
    StringBuilder shape = new StringBuilder();
    describe(type.toCanonical(), type.getRawClass(), shape, new HashSet<>());
    for (int i = 0; i < type.containedTypeCount(); i++) {
      JavaType contained = type.containedType(i);
      describe(contained.toCanonical(), contained.getRawClass(), shape, new HashSet<>());
    }
    // a page holds the next page's cursor, valid only where cursors of its format are
    if (type.getRawClass() == Page.class || shape.indexOf(Page.class.getName() + "<") >= 0) {
      shape.append("cursor:").append(cursorFormat);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(shape.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void describe(String label, Class<?> raw, StringBuilder out, Set<Class<?>> seen) {
    out.append(label).append('{');
    if (raw.isRecord() && seen.add(raw)) {
      for (RecordComponent c : raw.getRecordComponents()) {
        out.append(c.getName()).append(':').append(c.getGenericType().getTypeName()).append(';');
        describeNested(c.getGenericType(), out, seen);
      }
    } else if (raw.isEnum()) {
      for (Object constant : raw.getEnumConstants()) {
        out.append(constant).append(',');
      }
    }
    out.append('}');
  }

  private static void describeNested(Type type, StringBuilder out, Set<Class<?>> seen) {
    if (type instanceof Class<?> c && (c.isRecord() || c.isEnum())) {
      describe(c.getName(), c, out, seen);
    } else if (type instanceof ParameterizedType p) {
      for (Type arg : p.getActualTypeArguments()) {
        describeNested(arg, out, seen);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
