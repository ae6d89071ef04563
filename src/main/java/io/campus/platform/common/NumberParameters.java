package io.campus.platform.common;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads whole-number path and query parameters, and names the parameter when the text is not one.
 *
 * <p>Jakarta REST answers a path or query parameter it cannot convert with an empty 404, as if the
 * resource did not exist; {@code /api/admin/users/abc/role} is a bad request, not a missing user. A
 * converter that throws a {@link WebApplicationException} is passed through as is, so this one
 * throws {@link Invalid}, which {@link ProblemMapper} answers with a 400 naming the parameter.
 */
@Provider
public class NumberParameters implements ParamConverterProvider {

  @Override
  @SuppressWarnings("unchecked")
  public <T> ParamConverter<T> getConverter(
      Class<T> rawType, Type genericType, Annotation[] annotations) {
    Function<String, ?> parse;
    if (rawType == long.class || rawType == Long.class) {
      parse = Long::valueOf;
    } else if (rawType == int.class || rawType == Integer.class) {
      parse = Integer::valueOf;
    } else {
      return null;
    }
    String name = nameOf(annotations);
    if (name == null) {
      return null;
    }
    return (ParamConverter<T>) new WholeNumber<>(name, parse);
  }

  private static String nameOf(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation instanceof PathParam path) {
        return path.value();
      }
      if (annotation instanceof QueryParam query) {
        return query.value();
      }
    }
    return null;
  }

  private static final Pattern DIGITS = Pattern.compile("[+-]?[0-9]+");

  private record WholeNumber<N>(String name, Function<String, N> parse)
      implements ParamConverter<N> {

    @Override
    public N fromString(String value) {
      try {
        return parse.apply(value);
      } catch (NumberFormatException e) {
        throw new Invalid(name, DIGITS.matcher(value).matches());
      }
    }

    @Override
    public String toString(N value) {
      return String.valueOf(value);
    }
  }

  /** A parameter that is not a whole number in its type's range. */
  public static final class Invalid extends WebApplicationException {

    private final String parameter;
    private final boolean outOfRange;

    Invalid(String parameter, boolean outOfRange) {
      super(400);
      this.parameter = parameter;
      this.outOfRange = outOfRange;
    }

    public String parameter() {
      return parameter;
    }

    public String message() {
      return outOfRange ? "is out of range" : "must be a whole number";
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      // Expected control flow on a client's typo: no stack trace to build.
      return this;
    }
  }
}
