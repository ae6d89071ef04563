package io.campus.platform.common;

import static org.eclipse.microprofile.openapi.OASFactory.createAPIResponse;
import static org.eclipse.microprofile.openapi.OASFactory.createContent;
import static org.eclipse.microprofile.openapi.OASFactory.createHeader;
import static org.eclipse.microprofile.openapi.OASFactory.createMediaType;
import static org.eclipse.microprofile.openapi.OASFactory.createSchema;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the failures every operation shares, as {@link Problem} documents: 400 where there is
 * input, 401/403 where a bearer token is required, 413/415 where there is a body, 429 where the
 * rate limits apply (writes and search), 503 everywhere (load shedding, an unavailable database).
 * Error responses an operation declares itself get the problem body too. Also states what the
 * {@code limit} query parameters accept: they are read as text so a bad one gets the 400 naming it.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

  static final String SCHEMA = "#/components/schemas/Problem";

  /**
   * Largest {@code limit} of every listing: campus.pagination.max-size's default and the
   * leaderboards' ceiling (the document is built with the application, not from runtime settings).
   */
  static final int MAX_LIMIT = 100;

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "400", "Invalid input; errors names the offending fields",
          "401", "No valid bearer token (missing, unknown or expired)",
          "403", "The token's user may not do this",
          "413", "The request body is over the size limit",
          "415", "The request body is not application/json",
          "429", "Too many requests; retry after Retry-After seconds",
          "503", "Overloaded or a backend is unavailable; retry after Retry-After seconds");

  @Override
  public void filterOpenAPI(OpenAPI api) {
    api.getComponents().addSchema("Problem", problemSchema());
    if (api.getPaths() == null) {
      return;
    }
    api.getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                item.getOperations().forEach((method, op) -> document(path, method, item, op)));
  }

  private static void document(
      String path, PathItem.HttpMethod method, PathItem item, Operation op) {
    List<Parameter> params = new ArrayList<>();
    if (item.getParameters() != null) {
      params.addAll(item.getParameters());
    }
    if (op.getParameters() != null) {
      params.addAll(op.getParameters());
    }
    params.stream()
        .filter(p -> p.getIn() == Parameter.In.QUERY && "limit".equals(p.getName()))
        .forEach(
            p ->
                p.setSchema(
                    createSchema()
                        .addType(SchemaType.INTEGER)
                        .format("int32")
                        .minimum(BigDecimal.ONE)
                        .maximum(BigDecimal.valueOf(MAX_LIMIT))));
    boolean body = op.getRequestBody() != null;
    List<String> statuses = new ArrayList<>(List.of("503"));
    if (body || !params.isEmpty()) {
      statuses.add("400");
    }
    if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
      statuses.addAll(List.of("401", "403"));
    }
    if (body) {
      statuses.addAll(List.of("413", "415"));
    }
    if (method != PathItem.HttpMethod.GET || path.endsWith("/search")) {
      statuses.add("429");
    }
    if (op.getResponses() == null) {
      op.setResponses(OASFactory.createAPIResponses());
    }
    for (String status : statuses) {
      if (!op.getResponses().hasAPIResponse(status)) {
        op.getResponses()
            .addAPIResponse(status, createAPIResponse().description(DESCRIPTIONS.get(status)));
      }
    }
    // in status order, as Swagger UI lists them
    op.getResponses().setAPIResponses(new TreeMap<>(op.getResponses().getAPIResponses()));
    op.getResponses()
        .getAPIResponses()
        .forEach(
            (status, response) -> {
              if (status.startsWith("4") || status.startsWith("5")) {
                asProblem(status, response);
              }
            });
  }

  private static void asProblem(String status, APIResponse response) {
    if (response.getContent() == null || response.getContent().getMediaTypes().isEmpty()) {
      response.setContent(
          createContent()
              .addMediaType(
                  Problem.MEDIA_TYPE, createMediaType().schema(createSchema().ref(SCHEMA))));
    }
    if ((status.equals("429") || status.equals("503")) && response.getHeaders() == null) {
      response.addHeader(
          "Retry-After",
          createHeader()
              .description("Seconds to wait before retrying")
              .schema(createSchema().addType(SchemaType.INTEGER)));
    }
  }

  private static Schema problemSchema() {
    Schema text = createSchema().addType(SchemaType.STRING);
    return createSchema()
        .addType(SchemaType.OBJECT)
        .description("An RFC 9457 problem document, sent as " + Problem.MEDIA_TYPE)
        .addProperty("type", text)
        .addProperty("title", text)
        .addProperty("status", createSchema().addType(SchemaType.INTEGER).format("int32"))
        .addProperty("detail", text)
        .addProperty("instance", text)
        .addProperty(
            "errors",
            createSchema()
                .addType(SchemaType.ARRAY)
                .description("The offending inputs, when the request was invalid")
                .items(
                    createSchema()
                        .addType(SchemaType.OBJECT)
                        .addProperty("field", text)
                        .addProperty("message", text)
                        .addProperty(
                            "index", createSchema().addType(SchemaType.INTEGER).format("int32"))))
        .required(List.of("title", "status"));
  }
}
