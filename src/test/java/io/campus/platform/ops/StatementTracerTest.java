package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

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
}
