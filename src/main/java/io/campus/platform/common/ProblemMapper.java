package io.campus.platform.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.campus.platform.ops.StatementNotSent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an RFC 9457 problem document. Internal details (SQL, stack traces, class
 * names) never reach the client; unexpected errors are logged with an id the client sees.
 */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return toResponse(e);
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e) {
    // A value can break several rules of its field at once (a 300-character "slug!" breaks @Size
    // and @Slug): the client gets one error per field, the most telling one.
    Map<String, ConstraintViolation<?>> byField = new TreeMap<>();
    for (ConstraintViolation<?> v : e.getConstraintViolations()) {
      byField.merge(fieldOf(v), v, (a, b) -> BY_RELEVANCE.compare(a, b) <= 0 ? a : b);
    }
    List<Problem.FieldError> errors =
        byField.entrySet().stream()
            .map(f -> new Problem.FieldError(f.getKey(), f.getValue().getMessage()))
            .collect(Collectors.toList());
    return toResponse(ProblemException.invalid("The request has invalid fields.", errors));
  }

  /**
   * A missing value first (the other rules say nothing useful about it), then Campus' own rules,
   * whose messages name what the field must be, then the standard ones; the message breaks ties so
   * the answer does not depend on the order in which the rules ran.
   */
  private static final Comparator<ConstraintViolation<?>> BY_RELEVANCE =
      Comparator.<ConstraintViolation<?>>comparingInt(ProblemMapper::relevance)
          .thenComparing(ConstraintViolation::getMessage);

  private static int relevance(ConstraintViolation<?> v) {
    Class<?> rule = v.getConstraintDescriptor().getAnnotation().annotationType();
    if (rule == NotNull.class || rule == NotBlank.class || rule == NotEmpty.class) {
      return 0;
    }
    return rule.getName().startsWith("io.campus.") ? 1 : 2;
  }

  // Declared for the exact types Quarkus REST maps itself (to an empty 400), so ours win.
  @ServerExceptionMapper
  public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response mapping(JsonMappingException e) {
    return json(e);
  }

  /** What a value of the wrong type says; for an enum, the values it takes. */
  private static String wrongValue(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
        && f.getTargetType() != null
        && f.getTargetType().isEnum()) {
      return "must be one of "
          + java.util.Arrays.stream(f.getTargetType().getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    return "has the wrong type or format";
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    String detail = "The request body is not valid JSON for this endpoint.";
    List<Problem.FieldError> errors = new ArrayList<>();
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field =
          m.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      errors.add(
          new Problem.FieldError(
              field, e instanceof StrictJson.NulInText ? StrictJson.NUL_MESSAGE : wrongValue(e)));
    } else if (e.getLocation() != null) {
      detail +=
          " Syntax error at line %d, column %d."
              .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
    }
    return toResponse(new ProblemException(400, "Malformed request body", detail, errors, null));
  }

  @ServerExceptionMapper
  public Response unauthorized(AuthenticationFailedException e) {
    return unauthenticated();
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return unauthenticated();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return toResponse(ProblemException.forbidden("Your role does not allow this operation."));
  }

  @ServerExceptionMapper
  public Response invalidParameter(NumberParameters.Invalid e) {
    return toResponse(ProblemException.invalidField(e.parameter(), e.message()));
  }

  /** RFC 9110 requires a 405 to name the methods the resource does take. */
  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    Response.ResponseBuilder answer =
        Response.fromResponse(
            toResponse(new ProblemException(405, "Method Not Allowed", detailFor(405))));
    Set<String> allowed = AllowedMethods.ofCurrentRequest();
    if (!allowed.isEmpty()) {
      answer.header(HttpHeaders.ALLOW, AllowedMethods.header(allowed));
    }
    return answer.build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json);
    }
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e);
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type != null ? type.getReasonPhrase() : "Error";
    return toResponse(new ProblemException(status, title, detailFor(status)));
  }

  @ServerExceptionMapper
  public Response database(PgException e) {
    Response mapped = bySqlState(e.getSqlState());
    return mapped != null ? mapped : unexpected(e);
  }

  /** The answer for a PostgreSQL error class the client caused or may retry; null otherwise. */
  private static Response bySqlState(String state) {
    if (state == null) {
      return null;
    }
    return switch (state) {
      case "23505" -> toResponse(ProblemException.conflict("The resource already exists."));
      case "23503" ->
          toResponse(ProblemException.unprocessable("A referenced resource does not exist."));
      // 22021: text PostgreSQL cannot store, such as a NUL character.
      case "23514", "22001", "22003", "22P02", "22021" ->
          toResponse(ProblemException.badRequest("A value is out of the allowed range."));
      case "40001", "40P01", "55P03", "57014" ->
          toResponse(
              new ProblemException(
                  503, "Service Unavailable", "The request could not finish in time.", null, 1));
      default -> null;
    };
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    if (unavailable(e)) {
      return toResponse(
          new ProblemException(
              503,
              "Service Unavailable",
              "The service is overloaded or its database is unreachable; retry shortly.",
              null,
              1));
    }
    // Hibernate Reactive and Mutiny wrap the failures we can explain; find them in the chain.
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof ProblemException p) {
        return toResponse(p);
      }
      if (t instanceof PgException pg) {
        return database(pg);
      }
      // Hibernate Reactive reports database errors as java.sql.SQLException, keeping the state.
      if (t instanceof java.sql.SQLException sql) {
        Response mapped = bySqlState(sql.getSQLState());
        if (mapped != null) {
          return mapped;
        }
      }
    }
    String id = UUID.randomUUID().toString();
    LOG.errorf(e, "Unexpected failure %s", id);
    return toResponse(
        new ProblemException(
            500,
            "Internal Server Error",
            "Something went wrong on our side. Reference: " + id,
            null,
            null));
  }

  /**
   * A dependency is down or saturated (pool wait queue full, connection refused or lost, breaker
   * open, time-out): the client should retry, not fix its request.
   */
  static boolean unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getName();
      if (name.endsWith("ConnectionPoolTooBusyException")
          || name.endsWith("CircuitBreakerOpenException")
          || name.endsWith("ClosedConnectionException")
          || name.equals("io.smallrye.mutiny.TimeoutException")
          || t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
          // Refused, reset or broken: a connection to PostgreSQL or Redis was lost (NIO reports a
          // reset on write as a plain IOException).
          || t instanceof java.io.IOException
          || name.endsWith("ConnectTimeoutException")
          || (t instanceof PgException pg
              && pg.getSqlState() != null
              && pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      String message = t.getMessage();
      if (t instanceof io.vertx.core.VertxException
          && message != null
          && (message.contains("Connection refused") || message.contains("onnection reset"))) {
        return true;
      }
    }
    // A statement on a connection the server closed a moment before (a restart).
    return StatementNotSent.matches(e);
  }

  private static Response unauthenticated() {
    return Response.fromResponse(
            toResponse(
                ProblemException.unauthorized("A valid bearer token is required for this call.")))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  public static Response toResponse(ProblemException e) {
    Response.ResponseBuilder builder =
        Response.status(e.status())
            .type(Problem.MEDIA_TYPE)
            .entity(
                new Problem(
                    "about:blank", e.title(), e.status(), e.getMessage(), null, e.errors()));
    if (e.retryAfterSeconds() != null) {
      builder.header("Retry-After", e.retryAfterSeconds());
    }
    return builder.build();
  }

  static String detailFor(int status) {
    return switch (status) {
      case 404 -> "No resource matches this path.";
      case 405 -> "This method is not allowed on this resource.";
      case 406 -> "The requested media type cannot be produced.";
      case 413 -> "The request body is too large.";
      case 415 -> "The request media type is not supported; send application/json.";
      default -> "The request could not be processed.";
    };
  }

  private static String fieldOf(ConstraintViolation<?> v) {
    // Skip the method and parameter nodes so clients see "email", not "register.request.email".
    List<String> parts = new ArrayList<>();
    for (Path.Node node : v.getPropertyPath()) {
      if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
        if (node.getKind() == ElementKind.PARAMETER) {
          parts.clear();
          parts.add(node.getName());
        }
        continue;
      }
      String name = node.getName();
      if (node.getIndex() != null) {
        parts.add("[" + node.getIndex() + "]" + (name == null ? "" : "." + name));
      } else if (name != null) {
        parts.add(name);
      }
    }
    // A parameter name alone (a query or path parameter) is the field; inside a body, drop it.
    if (parts.size() > 1) {
      parts.remove(0);
    }
    return String.join(".", parts).replace(".[", "[");
  }
}
