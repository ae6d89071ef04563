package io.campus.robustness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operations of the API as the service's own OpenAPI document describes them, so a new endpoint
 * is fuzzed without anyone listing it here.
 */
record ApiDescription(JsonNode document, List<Operation> operations) {

  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  /** One parameter of an operation: where it goes, its name and its schema. */
  record Param(String in, String name, JsonNode schema) {}

  /** One method on one path template, with its parameters and (resolved) JSON body schema. */
  record Operation(
      String method,
      String path,
      List<Param> pathParams,
      List<Param> queryParams,
      List<Param> headerParams,
      JsonNode bodySchema) {

    boolean hasBody() {
      return bodySchema != null;
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static ApiDescription parse(String json) {
    JsonNode doc;
    try {
      doc = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      if (!path.getKey().startsWith("/api/")) {
        continue;
      }
      for (String method : METHODS) {
        JsonNode op = path.getValue().get(method);
        if (op == null) {
          continue;
        }
        List<Param> inPath = new ArrayList<>();
        List<Param> inQuery = new ArrayList<>();
        List<Param> inHeader = new ArrayList<>();
        List<JsonNode> declared = new ArrayList<>();
        path.getValue().path("parameters").forEach(declared::add);
        op.path("parameters").forEach(declared::add);
        for (JsonNode p : declared) {
          JsonNode param = resolve(doc, p);
          Param parsed =
              new Param(
                  param.path("in").asText(),
                  param.path("name").asText(),
                  resolve(doc, param.path("schema")));
          switch (parsed.in()) {
            case "path" -> inPath.add(parsed);
            case "query" -> inQuery.add(parsed);
            case "header" -> inHeader.add(parsed);
            default -> {}
          }
        }
        JsonNode body = op.path("requestBody").path("content");
        JsonNode schema = null;
        if (body.has("application/json")) {
          schema = resolve(doc, body.path("application/json").path("schema"));
        } else if (body.size() > 0) {
          schema = resolve(doc, body.elements().next().path("schema"));
        }
        operations.add(
            new Operation(
                method.toUpperCase(Locale.ROOT), path.getKey(), inPath, inQuery, inHeader, schema));
      }
    }
    return new ApiDescription(doc, List.copyOf(operations));
  }

  /** Follows a {@code $ref} within the document (one level; callers resolve nested ones). */
  static JsonNode resolve(JsonNode doc, JsonNode node) {
    JsonNode current = node;
    for (int i = 0; i < 10 && current != null && current.has("$ref"); i++) {
      String ref = current.get("$ref").asText();
      current = doc.at(ref.substring(1));
    }
    return current == null || current.isMissingNode() ? null : current;
  }

  JsonNode resolve(JsonNode node) {
    return resolve(document, node);
  }
}
