package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.tracing.TracingPolicy;
import java.time.Duration;
import java.util.stream.IntStream;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

class StatementTracerTest {

  private final StatementTracer tracer = StatementTracer.instance();

  @Test
  void aStatementTextIsWorkedOutOnceAndReusedOnEveryExecution() {
    String sql = "select id from courses\n where slug = $1";

    assertThat(tracer.shapeOf(sql)).isSameAs(tracer.shapeOf(sql));
    // Another String with the same text (a statement filled in per request) reuses it too.
    assertThat(tracer.shapeOf(new String(sql))).isSameAs(tracer.shapeOf(sql));
  }

  @Test
  void theShapeIgnoresLayoutButNotContent() {
    StatementTracer.Shape shape = tracer.shapeOf("select id from lessons where id = $1");

    assertThat(tracer.shapeOf("select id\n  from lessons\twhere id = $1").fingerprint())
        .isEqualTo(shape.fingerprint());
    assertThat(tracer.shapeOf("select id from lessons where id = $2").fingerprint())
        .isNotEqualTo(shape.fingerprint());
    assertThat(shape.operation()).isEqualTo("select");
    assertThat(tracer.shapes()).containsKey(shape.fingerprint());
  }

  /** Under overload every statement is slow: the warning's text must not be worked out per line. */
  @Test
  void theOneLineTextOfSlowStatementWarningsIsWorkedOutWithTheShape() {
    StatementTracer.Shape shape = tracer.shapeOf("select id\n  from lessons\twhere id = $3 ");
    String wide = "select " + "x, ".repeat(300) + "y from t";

    assertThat(shape.oneLine()).isEqualTo("select id from lessons where id = $3");
    assertThat(tracer.shapeOf(wide).oneLine()).hasSize(501).endsWith("…");
  }

  /**
   * A client that opts out (the readiness probe's connection) is not timed: its statements are not
   * the service's work and must not show among its statement timings or slow statements.
   */
  @Test
  void aClientWhosePolicyIsIgnoreIsNotTraced() {
    String statement = "select 1";
    TagExtractor<String> tags =
        new TagExtractor<>() {
          @Override
          public int len(String request) {
            return 1;
          }

          @Override
          public String name(String request, int index) {
            return "db.statement";
          }

          @Override
          public String value(String request, int index) {
            return request;
          }
        };

    assertThat(
            tracer.sendRequest(
                null, SpanKind.RPC, TracingPolicy.IGNORE, statement, "Query", (k, v) -> {}, tags))
        .isNull();
    assertThat(
            tracer.sendRequest(
                null, SpanKind.RPC, TracingPolicy.ALWAYS, statement, "Query", (k, v) -> {}, tags))
        .isNotNull();
  }

  /**
   * Repeated warnings are counted per format: a burst of one slow statement must not be reported as
   * "more like this" under another statement's warning.
   */
  @Test
  void eachStatementsSlowWarningsAreCountedApart() {
    LogDeduplication filter = new LogDeduplication(Duration.ofSeconds(10), 3, 1_000);
    StatementTracer.Shape completion =
        tracer.shapeOf("update lesson_progress set completed_at = now() where id = $1");
    StatementTracer.Shape refresh = tracer.shapeOf("select refresh_leaderboard()");

    long written = IntStream.range(0, 50).filter(i -> filter.isLoggable(slow(completion))).count();
    ExtLogRecord other = slow(refresh);

    assertThat(written).isEqualTo(3);
    assertThat(filter.isLoggable(other)).as("another statement's first warning").isTrue();
    assertThat(other.getFormattedMessage())
        .isEqualTo(
            "Slow statement "
                + refresh.fingerprint()
                + " took 250 ms: select refresh_leaderboard()");
  }

  private static ExtLogRecord slow(StatementTracer.Shape shape) {
    ExtLogRecord record =
        new ExtLogRecord(
            Level.WARN, shape.slowWarning(), ExtLogRecord.FormatStyle.PRINTF, "test.Logger");
    record.setLoggerName(StatementTracer.class.getName());
    record.setParameters(new Object[] {250L, "", shape.oneLine()});
    return record;
  }
}
