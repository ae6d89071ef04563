package io.campus.platform.common;

import java.util.List;

/**
 * A failure the client can act on; mapped to an RFC 9457 response by {@link ProblemMapper}. Carries
 * no stack trace because it is expected control flow.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String title;
  private final List<Problem.FieldError> errors;
  private final Integer retryAfterSeconds;

  public ProblemException(
      int status,
      String title,
      String detail,
      List<Problem.FieldError> errors,
      Integer retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, List.of(), null);
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(400, "Invalid request", detail, errors, null);
  }

  public static ProblemException invalidField(String field, String message) {
    return invalid(
        "The request has invalid fields.", List.of(new Problem.FieldError(field, message)));
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "Unauthorized", detail);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not Found", detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  public static ProblemException unprocessable(String detail) {
    return new ProblemException(422, "Unprocessable Content", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
