package io.campus.platform.common;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read strictly where leniency would change their meaning: a key given twice is
 * a parse error (Jackson would keep one of them, or fail on a record with an internal error), and a
 * fraction is not truncated into a whole number ({@code "courseId": 7.5} is not course 7). Both
 * reach clients as 400 problems from {@link ProblemMapper}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }
}
