package io.campus.platform.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.VertxOptions;
import io.vertx.core.tracing.TracingOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Installs {@link StatementTracer} into Vert.x; the pool asks for tracing of every query. */
@ApplicationScoped
public class StatementTracing implements VertxOptionsCustomizer {

  public StatementTracing(OpsConfig config) {
    StatementTracer.slowThreshold(config.db().slowStatementThreshold());
  }

  void onStart(@Observes StartupEvent event, MeterRegistry registry) {
    StatementTracer.instance().registerMeters(registry);
  }

  @Override
  public void accept(VertxOptions options) {
    options.setTracingOptions(new TracingOptions().setFactory(o -> StatementTracer.instance()));
  }
}
