package io.campus.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sends bad input to every operation of the OpenAPI document (so new endpoints are covered without
 * being listed): malformed and oversized bodies, wrong JSON types, unicode edge cases, overflowing
 * numbers, bad ids and cursors, missing, forged and expired tokens, wrong content types and
 * methods. Every answer must be below 500, leak no internals, be problem+json when it is a 4xx, and
 * a rejected request must leave every table exactly as it was.
 *
 * <p>A seeded generator rather than jqwik: jqwik runs on its own JUnit Platform engine, so the
 * JUnit Jupiter extension behind {@code @QuarkusTest} would not start the application for its
 * properties. Set {@code -Dcampus.fuzz.seed=N} to replay another seed.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputFuzzTest {

  private static final long SEED = Long.getLong("campus.fuzz.seed", 20261123L);
  private static final String PROBLEM = "application/problem+json";

  /** What must never appear in a response body: stack traces, class names, SQL and its errors. */
  private static final Pattern LEAK =
      Pattern.compile(
          "(?i)(exception|\\tat |\\bat [a-z]+\\.[a-z]+\\.|java\\.|javax\\.|jakarta\\.|io\\.campus|"
              + "io\\.quarkus|io\\.vertx|io\\.smallrye|org\\.hibernate|org\\.postgresql|"
              + "com\\.fasterxml|org\\.jboss|sqlstate|syntax error at or near|\\bselect .* from\\b|"
              + "insert into|violates .* constraint|duplicate key|relation \"|stack ?trace|"
              + "caused by)");

  private static final ObjectMapper JSON = new ObjectMapper();
  // Non-ASCII written as \\uXXXX escapes, so lone surrogates reach the server as JSON escapes.
  private static final ObjectMapper ESCAPING =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final Stats STATS = new Stats();

  @Inject TestData data;
  @Inject Pool pool;

  @TestHTTPResource("/")
  URL base;

  private HttpClient http = newClient();

  private ApiDescription api;
  private World world;
  private Random random;
  private List<String> tables;
  private Map<String, String> snapshot;
  private Map<String, String> digest;
  private String digestedAtXid;
  private final List<String> violations = new ArrayList<>();
  private final Set<String> accepted = new TreeSet<>();
  private final List<String> pendingReads = new ArrayList<>();
  private final Map<String, Identity> identities = new LinkedHashMap<>();

  /** The fixtures bad requests aim at: real ids, so the input is the only thing wrong. */
  record World(
      TestData.Account student,
      TestData.Account mentor,
      TestData.Account expired,
      TestData.CourseFixture course,
      Map<String, String> cursors) {}

  /** A role's token, replaced by a fresh account after a while so rate limits never kick in. */
  private final class Identity {
    private final Role role;
    private TestData.Account account;
    private int uses;

    Identity(Role role) {
      this.role = role;
    }

    String token() {
      if (account == null || ++uses > 120) {
        flushReads();
        account = data.account(role);
        uses = 0;
        snapshot = snapshot();
      }
      return account.token();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    random = new Random(SEED);
    api = ApiDescription.parse(send(get("/q/openapi?format=json")).body());
    assertThat(api.operations()).as("operations in the OpenAPI document").hasSizeGreaterThan(20);
    world = world();
    tables = tables();
    snapshot = snapshot();
    for (Role role : Role.values()) {
      identities.put(role.name(), new Identity(role));
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("Bad-input fuzz (seed %d): %s%n", SEED, STATS);
  }

  @Test
  @Order(1)
  void malformedBodiesAndWrongContentTypes() {
    for (ApiDescription.Operation op : api.operations()) {
      if (!op.hasBody()) {
        // A body where none is expected is ignored or refused, never a failure.
        check(op, "unexpected body", request(op, validPath(op), "ADMIN", "text/plain", bytes("x")));
        continue;
      }
      for (Map.Entry<String, byte[]> body : malformedBodies(op).entrySet()) {
        check(
            op,
            "body " + body.getKey(),
            request(op, validPath(op), "ADMIN", "application/json", body.getValue()));
      }
      byte[] valid = bytes(write(JSON, example(op.bodySchema(), "")));
      for (String type :
          List.of(
              "text/plain",
              "application/xml",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x",
              "application/json; charset=utf-16",
              "application/json; charset=nonsense",
              "application/jsonx",
              "*/*",
              "%%%",
              "")) {
        check(op, "content type '" + type + "'", request(op, validPath(op), "ADMIN", type, valid));
      }
    }
    assertClean();
  }

  @Test
  @Order(2)
  void wrongTypesOverflowsAndUnicodeInEveryField() {
    for (ApiDescription.Operation op : api.operations()) {
      if (!op.hasBody()) {
        continue;
      }
      JsonNode example = example(op.bodySchema(), "");
      List<String> fields = new ArrayList<>();
      leaves(op.bodySchema(), "", fields);
      for (String field : fields) {
        for (Map.Entry<String, JsonNode> bad : badValues().entrySet()) {
          JsonNode mutated = example.deepCopy();
          set(mutated, field, bad.getValue());
          ObjectMapper writer = random.nextBoolean() ? ESCAPING : JSON;
          check(
              op,
              field + " = " + bad.getKey(),
              request(
                  op, validPath(op), "ADMIN", "application/json", bytes(write(writer, mutated))));
        }
        JsonNode without = example.deepCopy();
        remove(without, field);
        check(
            op,
            "without " + field,
            request(op, validPath(op), "ADMIN", "application/json", bytes(write(JSON, without))));
      }
      // Roles that may not call it still get a clean answer for a well-formed body.
      for (String role : List.of("STUDENT", "MENTOR")) {
        check(
            op,
            "well-formed body as " + role,
            request(op, validPath(op), role, "application/json", bytes(write(JSON, example))));
      }
    }
    assertClean();
  }

  @Test
  @Order(3)
  void badIdsQueryParametersAndCursors() {
    for (ApiDescription.Operation op : api.operations()) {
      byte[] body = op.hasBody() ? bytes(write(JSON, example(op.bodySchema(), ""))) : null;
      for (ApiDescription.Param param : op.pathParams()) {
        for (Map.Entry<String, String> bad : badPathValues().entrySet()) {
          String path = op.path();
          for (ApiDescription.Param other : op.pathParams()) {
            String value = other == param ? bad.getValue() : validValue(other.name());
            path = path.replace("{" + other.name() + "}", value);
          }
          check(
              op,
              param.name() + " = " + bad.getKey(),
              request(op, path, "ADMIN", "application/json", body));
        }
      }
      for (ApiDescription.Param param : op.queryParams()) {
        Map<String, String> values = new LinkedHashMap<>(badQueryValues());
        if (param.name().equals("cursor")) {
          values.putAll(badCursors(op));
        }
        for (Map.Entry<String, String> bad : values.entrySet()) {
          String path = validPath(op) + "?" + param.name() + "=" + bad.getValue();
          String role = random.nextBoolean() ? "ADMIN" : "STUDENT";
          check(
              op,
              "?" + param.name() + "=" + bad.getKey() + " as " + role,
              request(op, path, role, "application/json", body));
        }
        check(
            op,
            "?" + param.name() + " repeated",
            request(
                op,
                validPath(op) + "?" + param.name() + "=1&" + param.name() + "=2",
                "ADMIN",
                "application/json",
                body));
      }
    }
    assertClean();
  }

  @Test
  @Order(4)
  void missingForgedAndExpiredTokensAndBadHeaders() {
    String forged = "forged-" + Long.toHexString(random.nextLong()) + "x".repeat(40);
    Map<String, String> authorizations = new LinkedHashMap<>();
    authorizations.put("none", null);
    authorizations.put("empty", "");
    authorizations.put("bare scheme", "Bearer");
    authorizations.put("blank token", "Bearer    ");
    authorizations.put("forged", "Bearer " + forged);
    authorizations.put("expired", "Bearer " + world.expired().token());
    authorizations.put("valid plus suffix", "Bearer " + world.student().token() + "x");
    authorizations.put("basic", "Basic dXNlcjpwYXNzd29yZA==");
    authorizations.put("other scheme", "Token " + world.student().token());
    authorizations.put("huge", "Bearer " + "a".repeat(7_000));
    authorizations.put("non-ascii", "Bearer t\u00e9st\u00ff");
    authorizations.put("quoted", "Bearer \"" + world.student().token() + "\"");
    for (ApiDescription.Operation op : api.operations()) {
      byte[] body = op.hasBody() ? bytes(write(JSON, example(op.bodySchema(), ""))) : null;
      for (Map.Entry<String, String> auth : authorizations.entrySet()) {
        HttpRequest.Builder builder = base(op.method(), validPath(op), "application/json", body);
        if (auth.getValue() != null) {
          builder.header("Authorization", auth.getValue());
        }
        check(op, "authorization " + auth.getKey(), builder);
      }
      for (ApiDescription.Param header : op.headerParams()) {
        for (Map.Entry<String, String> bad : badHeaderValues().entrySet()) {
          HttpRequest.Builder builder =
              request(op, validPath(op), "ADMIN", "application/json", body);
          check(
              op,
              header.name() + ": " + bad.getKey(),
              builder.header(header.name(), bad.getValue()));
        }
        HttpRequest.Builder twice =
            request(op, validPath(op), "ADMIN", "application/json", body)
                .header(header.name(), "one")
                .header(header.name(), "two");
        check(op, header.name() + " sent twice", twice);
      }
      HttpRequest.Builder xml =
          request(op, validPath(op), "ADMIN", "application/json", body)
              .header("Accept", "application/xml");
      check(op, "accept xml", xml);
    }
    assertClean();
  }

  @Test
  @Order(5)
  void undeclaredMethodsAndRawProtocolAbuse() throws IOException {
    Map<String, Set<String>> declared = new LinkedHashMap<>();
    for (ApiDescription.Operation op : api.operations()) {
      declared.computeIfAbsent(op.path(), p -> new TreeSet<>()).add(op.method());
    }
    for (Map.Entry<String, Set<String>> path : declared.entrySet()) {
      ApiDescription.Operation any =
          api.operations().stream().filter(o -> o.path().equals(path.getKey())).findFirst().get();
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
        if (!path.getValue().contains(method)) {
          ApiDescription.Operation wrong =
              new ApiDescription.Operation(
                  method, any.path(), any.pathParams(), List.of(), List.of(), null);
          check(
              wrong,
              "undeclared method",
              request(wrong, validPath(any), "ADMIN", "application/json", bytes("{}")));
        }
      }
    }
    ApiDescription.Operation raw =
        new ApiDescription.Operation("RAW", "/api/courses", List.of(), List.of(), List.of(), null);
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put(
        "negative content length",
        "POST /api/enrollments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: -1\r\n\r\n{}");
    requests.put(
        "bad chunk",
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    requests.put(
        "header without colon", "GET /api/courses HTTP/1.1\r\nHost: x\r\nno-colon-here\r\n\r\n");
    requests.put("control bytes in path", "GET /api/cour\u0001ses HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put(
        "huge request line",
        "GET /api/courses?q=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put(
        "huge header",
        "GET /api/courses HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n");
    requests.put("bad escape in path", "GET /api/courses/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put(
        "bad escape in query", "GET /api/courses?cursor=%&limit=%g1 HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put(
        "chunked body over the limit",
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + ("8000\r\n" + "a".repeat(0x8000) + "\r\n").repeat(40)
            + "0\r\n\r\n");
    requests.put("unknown method", "BREW /api/courses HTTP/1.1\r\nHost: x\r\n\r\n");
    requests.put("absolute uri", "GET http://evil.invalid/api/courses HTTP/1.1\r\nHost: x\r\n\r\n");
    for (Map.Entry<String, String> r : requests.entrySet()) {
      Result result = raw(r.getValue().getBytes(StandardCharsets.ISO_8859_1));
      // Framing errors are answered by the HTTP codec before any route exists: no problem+json
      // is possible there, but no 5xx or internals either.
      verify(raw, "raw " + r.getKey(), result, false, true);
    }
    assertClean();
  }

  // ---------------------------------------------------------------- cases

  private Map<String, byte[]> malformedBodies(ApiDescription.Operation op) {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    for (String text :
        List.of(
            "",
            " ",
            "{",
            "}",
            "[",
            "{\"a\":}",
            "{'a': 1}",
            "{\"a\" 1}",
            "{\"a\":1,,}",
            "{\"a\":1}}",
            "{} trailing",
            "nul",
            "null",
            "true",
            "123",
            "-9223372036854775809",
            "1e999999",
            "\"just a string\"",
            "[]",
            "[{}]",
            "{}",
            "NaN",
            "{\"a\": NaN, \"b\": Infinity}",
            "/* comment */ {}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\u0000\"}",
            "{\"a\":\"\\x41\"}",
            "\ufeff{}",
            "{\"a\":1,\"a\":2}")) {
      bodies.put("'" + abbreviate(text) + "'", bytes(text));
    }
    bodies.put(
        "invalid utf-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'});
    bodies.put(
        "overlong utf-8", new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'});
    bodies.put("0xff bytes", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0});
    bodies.put("utf-16", "{\"a\":1}".getBytes(StandardCharsets.UTF_16));
    bodies.put("nul byte", new byte[] {'{', 0, '}'});
    bodies.put("deeply nested arrays", bytes("[".repeat(50_000) + "]".repeat(50_000)));
    bodies.put("deeply nested objects", bytes("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)));
    bodies.put("2 MiB string", bytes("{\"a\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}"));
    bodies.put("900 KiB string", bytes("{\"a\":\"" + "a".repeat(900 * 1024) + "\"}"));
    bodies.put("long number", bytes("{\"a\":" + "9".repeat(100_000) + "}"));
    bodies.put("truncated", truncate(bytes(write(JSON, example(op.bodySchema(), "")))));
    return bodies;
  }

  private Map<String, JsonNode> badValues() {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    values.put("null", NODES.nullNode());
    values.put("empty string", NODES.textNode(""));
    values.put("blank", NODES.textNode(" \t\n"));
    values.put("NUL", NODES.textNode("\u0000"));
    values.put("embedded NUL", NODES.textNode("a\u0000b"));
    values.put("lone high surrogate", NODES.textNode("x\ud800y"));
    values.put("lone low surrogate", NODES.textNode("\udc00"));
    values.put("reversed surrogates", NODES.textNode("\udc00\ud800"));
    values.put("RTL override", NODES.textNode("\u202eevil\u202c.exe"));
    values.put(
        "emoji", NODES.textNode("\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud83d\ude00"));
    values.put("zero width", NODES.textNode("\u200b\u200c\ufeff"));
    values.put("combining marks", NODES.textNode("e" + "\u0301".repeat(500)));
    values.put("100k chars", NODES.textNode("a".repeat(100_000)));
    values.put("20k emoji", NODES.textNode("\ud83d\ude00".repeat(20_000)));
    // Long values in the alphabet of each validation pattern, the input that makes a pattern with
    // nested repetition recurse once per group: slugs and cache names, achievement codes.
    values.put("12 KB slug-shaped", NODES.textNode("a-".repeat(6_000) + "a"));
    values.put("12 KB code-shaped", NODES.textNode("A_".repeat(6_000)));
    values.put("100 KB slug-shaped", NODES.textNode("ab-".repeat(33_000) + "a"));
    values.put("sql", NODES.textNode("'); drop table users; --"));
    values.put("path traversal", NODES.textNode("../../etc/passwd"));
    values.put("format string", NODES.textNode("%s%n%x"));
    values.put("bad date", NODES.textNode("2026-02-30"));
    values.put("far date", NODES.textNode("+999999999-12-31"));
    values.put("zero", NODES.numberNode(0));
    values.put("minus one", NODES.numberNode(-1));
    values.put("int overflow", NODES.numberNode(2_147_483_648L));
    values.put("int underflow", NODES.numberNode(-2_147_483_649L));
    values.put("long max", NODES.numberNode(Long.MAX_VALUE));
    values.put(
        "long overflow", NODES.numberNode(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)));
    values.put(
        "long underflow",
        NODES.numberNode(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)));
    values.put("huge integer", NODES.numberNode(new BigInteger("9".repeat(400))));
    values.put("fraction", NODES.numberNode(1.5));
    values.put("negative zero", NODES.numberNode(-0.0));
    values.put("1e308", NODES.numberNode(1e308));
    values.put("1e400", NODES.numberNode(new BigDecimal("1e400")));
    values.put("1e-400", NODES.numberNode(new BigDecimal("1e-400")));
    values.put("true", NODES.booleanNode(true));
    values.put("empty array", NODES.arrayNode());
    values.put("array of nulls", NODES.arrayNode().addNull().addNull());
    values.put("number array", NODES.arrayNode().add(1).add(2));
    values.put("empty object", NODES.objectNode());
    values.put("object", NODES.objectNode().put("a", 1));
    return values;
  }

  private Map<String, String> badPathValues() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("0", "0");
    values.put("-1", "-1");
    values.put("long max", Long.toString(Long.MAX_VALUE));
    values.put("long overflow", "9223372036854775808");
    values.put("long underflow", "-9223372036854775809");
    values.put("exponent", "1e3");
    values.put("hex", "0x10");
    values.put("fraction", "1.5");
    values.put("letters", "abc");
    values.put("spaces", "%20%201");
    values.put("NUL", "%00");
    values.put("overlong utf-8", "%C0%AF");
    values.put("invalid utf-8", "%C3%28");
    values.put("lone surrogate", "%ED%A0%80");
    values.put("RTL override", "%E2%80%AEabc");
    values.put("emoji", "%F0%9F%98%80");
    values.put("encoded slash", "..%2F..%2Fetc");
    values.put("sql", enc("1' or '1'='1"));
    values.put("300 chars", "a".repeat(300));
    values.put("upper case", "ABC-DEF");
    values.put("10k chars", "a".repeat(10_000));
    values.put("slug-shaped 3000 chars", "a-".repeat(1_500) + "a");
    values.put("code-shaped 3000 chars", "A0".repeat(1_500));
    return values;
  }

  private Map<String, String> badQueryValues() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("empty", "");
    values.put("-1", "-1");
    values.put("0", "0");
    values.put("101", "101");
    values.put("int overflow", "2147483648");
    values.put("long overflow", "99999999999999999999999");
    values.put("fraction", "1.5");
    values.put("exponent", "1e2");
    values.put("NaN", "NaN");
    values.put("letters", "abc");
    values.put("NUL", "%00");
    values.put("invalid utf-8", "%C3%28");
    values.put("lone surrogate", "%ED%A0%80");
    values.put("RTL override", "%E2%80%AEabc");
    values.put("emoji", enc("\ud83d\ude00\ud83d\udc69\u200d\ud83d\udc69"));
    values.put("sql", enc("x' or 1=1 --"));
    values.put("tsquery syntax", enc("a & | ! ( :* <->"));
    values.put("1000 chars", "q".repeat(1000));
    values.put("3000 chars", enc("\u00e9".repeat(3000)));
    values.put("slug-shaped 3000 chars", "a-".repeat(1_500) + "a");
    return values;
  }

  private Map<String, String> badCursors(ApiDescription.Operation op) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("not base64", "!!!");
    values.put("base64 garbage", b64("garbage"));
    values.put("wrong version", b64("c0\u001fnewest\u001f1"));
    values.put("padding", b64("c1") + "==");
    values.put("600 chars", "A".repeat(600));
    // Cursors of other listings, unchanged: valid cursors, wrong ordering.
    world.cursors().entrySet().stream()
        .filter(e -> !e.getKey().equals(op.path()))
        .limit(2)
        .forEach(e -> values.put("cursor of " + e.getKey(), e.getValue()));
    int i = 0;
    for (String real :
        world.cursors().containsKey(op.path())
            ? List.of(world.cursors().get(op.path()))
            : List.<String>of()) {
      String raw = new String(Base64.getUrlDecoder().decode(real), StandardCharsets.UTF_8);
      String[] parts = raw.split("\u001f", -1);
      values.put("real #" + i, real);
      values.put("real #" + i + " truncated", real.substring(0, real.length() / 2));
      values.put("real #" + i + " extra part", b64(raw + "\u001f1"));
      values.put("real #" + i + " missing part", b64(raw.substring(0, raw.lastIndexOf('\u001f'))));
      for (String key :
          List.of(
              "abc",
              "-1",
              "99999999999999999999",
              "NaN",
              "Infinity",
              "1e400",
              "",
              "2026-13-45T99:00:00Z",
              "\u0000",
              "'; drop table users; --")) {
        for (int k = 2; k < parts.length; k++) {
          String[] copy = parts.clone();
          copy[k] = key;
          values.put(
              "real #" + i + " key " + (k - 2) + " = " + abbreviate(key),
              b64(String.join("\u001f", copy)));
        }
      }
      i++;
    }
    return values;
  }

  private Map<String, String> badHeaderValues() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("empty", "");
    values.put("blank", "   ");
    values.put("201 chars", "k".repeat(201));
    values.put("5000 chars", "k".repeat(5000));
    values.put("latin-1", "cl\u00e9");
    values.put("tab inside", "a\tb");
    values.put("sql", "k'; drop table idempotency_keys; --");
    return values;
  }

  // ---------------------------------------------------------------- request building

  private String validPath(ApiDescription.Operation op) {
    String path = op.path();
    for (ApiDescription.Param p : op.pathParams()) {
      path = path.replace("{" + p.name() + "}", validValue(p.name()));
    }
    return path;
  }

  private String validValue(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("slug")) {
      return world.course().slug();
    } else if (n.contains("mentor")) {
      return Long.toString(world.mentor().id());
    } else if (n.contains("user") || n.contains("student")) {
      return Long.toString(world.student().id());
    } else if (n.contains("course")) {
      return Long.toString(world.course().id());
    } else if (n.contains("lesson")) {
      return Long.toString(world.course().lessonIds().get(0));
    } else if (n.contains("code")) {
      return "NO-SUCH-CODE";
    }
    return "1";
  }

  /** A plausible valid value for a schema, so one mutated field is the only thing wrong. */
  private JsonNode example(JsonNode schema, String name) {
    JsonNode s = api.resolve(schema);
    if (s == null) {
      return NODES.textNode("x");
    }
    if (s.has("enum")) {
      return s.get("enum").get(0);
    }
    String type = s.path("type").asText(s.has("properties") ? "object" : "string");
    String n = name.toLowerCase(Locale.ROOT);
    switch (type) {
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        s.path("properties")
            .fields()
            .forEachRemaining(f -> object.set(f.getKey(), example(f.getValue(), f.getKey())));
        return object;
      }
      case "array" -> {
        ArrayNode array = NODES.arrayNode();
        array.add(example(s.path("items"), name));
        return array;
      }
      case "integer", "number" -> {
        if (n.contains("mentor")) {
          return NODES.numberNode(world.mentor().id());
        } else if (n.contains("student") || n.contains("user")) {
          return NODES.numberNode(world.student().id());
        } else if (n.contains("course")) {
          return NODES.numberNode(world.course().id());
        } else if (n.contains("lesson")) {
          return NODES.numberNode(world.course().lessonIds().get(0));
        } else if (n.contains("score") || n.contains("progress")) {
          return NODES.numberNode(80);
        }
        return NODES.numberNode(1);
      }
      case "boolean" -> {
        return NODES.booleanNode(true);
      }
      default -> {
        String format = s.path("format").asText("");
        if (format.equals("date") || n.endsWith("on")) {
          return NODES.textNode("2026-01-15");
        } else if (format.equals("date-time")) {
          return NODES.textNode("2026-01-15T10:00:00Z");
        } else if (n.contains("email")) {
          return NODES.textNode("fuzz-" + random.nextInt(1_000_000) + "@example.org");
        } else if (n.contains("password")) {
          return NODES.textNode("correct-horse-battery");
        } else if (n.contains("slug")) {
          return NODES.textNode("fuzz-" + random.nextInt(1_000_000));
        } else if (n.contains("code")) {
          return NODES.textNode("FUZZ_" + random.nextInt(1_000_000));
        }
        return NODES.textNode("fuzz value");
      }
    }
  }

  /** Paths of every field, descending into objects and the first item of arrays. */
  private void leaves(JsonNode schema, String prefix, List<String> out) {
    JsonNode s = api.resolve(schema);
    if (s == null) {
      return;
    }
    if (s.has("properties")) {
      s.get("properties")
          .fields()
          .forEachRemaining(
              f -> {
                String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                out.add(path);
                leaves(f.getValue(), path, out);
              });
    } else if ("array".equals(s.path("type").asText()) && !prefix.isEmpty()) {
      JsonNode items = api.resolve(s.path("items"));
      if (items != null && items.has("properties")) {
        leaves(items, prefix + "[0]", out);
      }
    }
  }

  private static void set(JsonNode root, String path, JsonNode value) {
    JsonNode parent = parentOf(root, path);
    String last = lastSegment(path);
    if (parent instanceof ObjectNode object) {
      object.set(last, value);
    }
  }

  private static void remove(JsonNode root, String path) {
    JsonNode parent = parentOf(root, path);
    if (parent instanceof ObjectNode object) {
      object.remove(lastSegment(path));
    }
  }

  private static JsonNode parentOf(JsonNode root, String path) {
    String[] segments = path.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < segments.length - 1 && node != null; i++) {
      String seg = segments[i];
      if (seg.endsWith("[0]")) {
        node = node.path(seg.substring(0, seg.length() - 3)).path(0);
      } else {
        node = node.path(seg);
      }
    }
    return node;
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private HttpRequest.Builder request(
      ApiDescription.Operation op, String path, String role, String contentType, byte[] body) {
    HttpRequest.Builder builder = base(op.method(), path, contentType, body);
    if (role != null) {
      builder.header("Authorization", "Bearer " + identities.get(role).token());
    }
    return builder;
  }

  private HttpRequest.Builder base(String method, String path, String contentType, byte[] body) {
    URI uri = URI.create(base.toString().replaceAll("/$", "") + path);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            // Spread login/registration rate-limit buckets: tests trust this header.
            .header("X-Forwarded-For", "10.9." + random.nextInt(256) + "." + random.nextInt(256));
    if (contentType != null && !contentType.isEmpty() && body != null) {
      builder.header("Content-Type", contentType);
    }
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return builder.method(method, publisher);
  }

  private HttpRequest.Builder get(String path) {
    return base("GET", path, null, null);
  }

  // ---------------------------------------------------------------- sending and checking

  record Result(int status, String contentType, String body, String error) {}

  private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private void check(ApiDescription.Operation op, String label, HttpRequest.Builder builder) {
    HttpRequest request;
    try {
      request = builder.build();
    } catch (IllegalArgumentException e) {
      STATS.unsendable.incrementAndGet();
      return; // a header value the client library itself refuses to send
    }
    if (!request.method().equals("GET")) {
      flushReads();
    }
    Result result = exchange(request);
    if (result.status() < 0 && !label.contains("MiB")) {
      // A pooled connection the server had already closed (after a 413/414/431, say) fails
      // before the request reaches it; only a failure on a new connection counts.
      http = newClient();
      STATS.retried.incrementAndGet();
      result = exchange(request);
    }
    if (result.status() == 413 || result.status() == 414 || result.status() == 431) {
      http = newClient(); // the server closes such connections
    }
    verify(op, label, result, request.headers().firstValue("Idempotency-Key").isPresent());
  }

  private Result exchange(HttpRequest request) {
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Result(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          null);
    } catch (IOException e) {
      return new Result(-1, "", "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The database doctor's report to an admin is about SQL and the server by design. */
  private static boolean diagnosticReport(ApiDescription.Operation op, Result r) {
    return r.status() == 200 && op.toString().contains("/api/admin/db");
  }

  private void verify(ApiDescription.Operation op, String label, Result r, boolean keyed) {
    verify(op, label, r, keyed, false);
  }

  /**
   * {@code keyed}: the request carried an Idempotency-Key, whose final answer (a 409 too) is stored
   * so that a retry replays it; that record is the one write a rejected request may leave.
   */
  private void verify(
      ApiDescription.Operation op, String label, Result r, boolean keyed, boolean framing) {
    STATS.requests.incrementAndGet();
    String what = op + " [" + label + "]";
    boolean read = op.method().equals("GET");
    if (read) {
      pendingReads.add(what);
    }
    Map<String, String> after = read ? snapshot : snapshot();
    if (r.status() < 0) {
      // The server may close the connection while a body over the size limit is still being sent.
      if (!label.contains("MiB")) {
        violations.add(what + ": no response (" + r.error() + ")");
      }
    } else if (r.status() >= 500) {
      violations.add(what + ": " + r.status() + " " + abbreviate(r.body()));
    } else if (LEAK.matcher(r.body()).find() && !diagnosticReport(op, r)) {
      violations.add(what + ": internals in body: " + abbreviate(r.body()));
    } else if (r.status() >= 400
        && !framing
        && !codecLimit(r)
        && !r.contentType().startsWith(PROBLEM)) {
      violations.add(
          what + ": " + r.status() + " as '" + r.contentType() + "': " + abbreviate(r.body()));
    }
    if (r.status() >= 200 && r.status() < 300) {
      accepted.add(what + " -> " + r.status());
      STATS.accepted.incrementAndGet();
    } else if (!after.equals(snapshot)) {
      List<String> changed = new ArrayList<>();
      after.forEach(
          (t, v) -> {
            if (!v.equals(snapshot.get(t))) {
              changed.add(t);
            }
          });
      boolean storedAnswer = keyed && changed.equals(List.of("idempotency_keys"));
      if (!storedAnswer) {
        violations.add(what + ": rejected with " + r.status() + " but changed " + changed);
      }
    }
    if (r.status() == 429) {
      STATS.rateLimited.incrementAndGet();
    }
    snapshot = after;
  }

  /**
   * 414 (request line too long) and 431 (headers too large) are answered by the HTTP codec of
   * Vert.x while it decodes the request, before any route or error handler of the service exists
   * for it, with an empty body: they cannot be problem+json, and there is nothing to leak.
   */
  private static boolean codecLimit(Result r) {
    return (r.status() == 414 || r.status() == 431) && r.body().isEmpty();
  }

  /**
   * Reads are checked in batches (a snapshot per read would double the run time): one snapshot
   * after the reads since the last one, naming them all if anything changed.
   */
  private void flushReads() {
    if (pendingReads.isEmpty()) {
      return;
    }
    Map<String, String> after = snapshot();
    if (!after.equals(snapshot)) {
      violations.add(
          "one of these GET requests changed the database: "
              + pendingReads.stream().limit(20).toList());
    }
    pendingReads.clear();
    snapshot = after;
  }

  private void assertClean() {
    flushReads();
    if (!accepted.isEmpty()) {
      System.out.printf(
          "Bad-input fuzz: %d malformed-looking requests were valid and accepted, e.g. %s%n",
          accepted.size(), accepted.stream().limit(5).toList());
    }
    assertThat(violations)
        .as("bad-input violations (seed %d), first 40 of %d", SEED, violations.size())
        .isEmpty();
  }

  private Result raw(byte[] request) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // the server may stop reading early; what it answered is still checked
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try {
        in.transferTo(received);
      } catch (IOException e) {
        // connection reset after the answer
      }
      String text = received.toString(StandardCharsets.ISO_8859_1);
      if (text.isEmpty()) {
        return new Result(400, "", "", null); // closed without an answer: refused, not failed
      }
      String[] lines = text.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      String type = "";
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          type = line.substring(13).trim();
        }
      }
      int bodyStart = text.indexOf("\r\n\r\n");
      return new Result(status, type, bodyStart < 0 ? "" : text.substring(bodyStart + 4), null);
    }
  }

  // ---------------------------------------------------------------- fixtures and database state

  private World world() throws Exception {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account other = data.account(Role.STUDENT);
    TestData.Account expired = data.account(Role.STUDENT, Duration.ofSeconds(-60));
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 3);
    TestData.CourseFixture second = data.publishedCourse(mentor.id(), 2);
    data.enroll(student.id(), course.id());
    data.enroll(student.id(), second.id());
    data.assign(mentor.id(), student.id());
    data.assign(mentor.id(), other.id());
    data.execute(
        "insert into assessments (student_id, mentor_id, course_id, skill, score, assessed_on)"
            + " select $1, $2, $3, 'skill ' || g, 70 + g, current_date - g"
            + " from generate_series(1, 3) g",
        Tuple.of(student.id(), mentor.id(), course.id()));
    data.execute(
        "insert into activity_events (user_id, type, subject_type, subject_id)"
            + " select $1, 'ENROLLED', 'COURSE', $2 from generate_series(1, 3)",
        Tuple.of(student.id(), course.id()));
    World partial = new World(student, mentor, expired, course, Map.of());
    this.world = partial;
    // Real cursors, taken from second pages of listings, to mutate into plausible bad ones.
    Map<String, String> cursors = new LinkedHashMap<>();
    for (ApiDescription.Operation op : api.operations()) {
      boolean listing =
          op.method().equals("GET")
              && op.queryParams().stream().anyMatch(p -> p.name().equals("cursor"));
      if (!listing) {
        continue;
      }
      for (String token : List.of(student.token(), mentor.token())) {
        HttpResponse<String> page =
            send(get(validPath(op) + "?limit=1").header("Authorization", "Bearer " + token));
        if (page.statusCode() == 200) {
          JsonNode next = JSON.readTree(page.body()).path("next");
          if (next.isTextual()) {
            cursors.put(op.path(), next.asText());
            break;
          }
        }
      }
    }
    assertThat(cursors).as("cursors harvested from listings").isNotEmpty();
    return new World(student, mentor, expired, course, cursors);
  }

  private List<String> tables() {
    List<String> names = new ArrayList<>();
    pool.query(
            "select table_name from information_schema.tables where table_schema = current_schema()"
                + " and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history'"
                // deliberately: rejected logins are supposed to leave a row in the audit log
                + " and table_name <> 'audit_log'"
                + " order by table_name")
        .execute()
        .await()
        .indefinitely()
        .forEach(row -> names.add(row.getString(0)));
    return names;
  }

  /**
   * Row count and a digest of the content of every table, in one statement. Digesting every table
   * after every request would dominate the run, so it is skipped when PostgreSQL has handed out no
   * transaction id since the last digest: no row can have changed without one (a read-only
   * transaction gets none; a write that failed may have used one, and is then digested).
   */
  private Map<String, String> snapshot() {
    String nextXid =
        pool.query("select pg_snapshot_xmax(pg_current_snapshot())::text")
            .execute()
            .await()
            .indefinitely()
            .iterator()
            .next()
            .getString(0);
    if (nextXid.equals(digestedAtXid) && digest != null) {
      return digest;
    }
    StringBuilder sql = new StringBuilder();
    for (String table : tables) {
      if (!sql.isEmpty()) {
        sql.append(" union all ");
      }
      sql.append("select '")
          .append(table)
          .append(
              "', count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), ''))")
          .append(" from ")
          .append(table)
          .append(" t");
    }
    Map<String, String> state = new LinkedHashMap<>();
    for (Row row : pool.query(sql.toString()).execute().await().indefinitely()) {
      state.put(row.getString(0), row.getString(1));
    }
    digestedAtXid = nextXid;
    digest = state;
    return state;
  }

  // ---------------------------------------------------------------- small helpers

  private static String write(ObjectMapper mapper, JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] truncate(byte[] body) {
    return java.util.Arrays.copyOf(body, Math.max(1, body.length / 2));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String b64(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String text) {
    String flat = text.replace("\n", "\\n").replace("\u0000", "\\0");
    return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…(" + flat.length() + ")";
  }

  /** Counts over the whole run, printed at the end. */
  static final class Stats {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger rateLimited = new AtomicInteger();
    final AtomicInteger unsendable = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();

    @Override
    public String toString() {
      return ("%d requests, %d accepted as valid, %d rate-limited, %d not sendable by the client,"
              + " %d resent on a new connection")
          .formatted(
              requests.get(), accepted.get(), rateLimited.get(), unsendable.get(), retried.get());
    }
  }
}
