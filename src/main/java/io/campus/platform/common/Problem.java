package io.campus.platform.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** An RFC 9457 problem document. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One offending input: a field (or item index) and why it was rejected. */
  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FieldError(String field, String message, Integer index) {
    public FieldError(String field, String message) {
      this(field, message, null);
    }
  }
}
