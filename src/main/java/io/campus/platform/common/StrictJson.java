package io.campus.platform.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Request bodies are read strictly where leniency would change their meaning or fail later: a key
 * given twice is a parse error (Jackson would keep one of them, or fail on a record with an
 * internal error), a fraction is not truncated into a whole number ({@code "courseId": 7.5} is not
 * course 7), a number or boolean is not taken for text ({@code "email": 123} is no address, and a
 * login would hash {@code "true"} as a password), a string with a NUL character is refused
 * (PostgreSQL cannot store it, and would fail the statement without naming the field), and so is
 * anything after the document (a second document or stray text would be dropped unread). All reach
 * clients as 400 problems from {@link ProblemMapper}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  static final String NUL_MESSAGE = "must not contain NUL characters";

  /** A string value with a NUL in it; its message is the one clients see for the field. */
  public static final class NulInText extends InvalidFormatException {
    NulInText(JsonParser parser, String value) {
      super(parser, NUL_MESSAGE, value, String.class);
    }
  }

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.registerModule(
        new SimpleModule("campus-strict-json").addDeserializer(String.class, new NoNul()));
  }

  private static final class NoNul extends StringDeserializer {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonToken token = parser.currentToken();
      if (token != null
          && token.isScalarValue()
          && token != JsonToken.VALUE_STRING
          && token != JsonToken.VALUE_NULL) {
        return (String) context.handleUnexpectedToken(String.class, parser);
      }
      String value = super.deserialize(parser, context);
      if (value != null && value.indexOf('\0') >= 0) {
        throw new NulInText(parser, value);
      }
      return value;
    }
  }
}
