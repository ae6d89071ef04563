package io.campus.platform.demo;

import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.ops.StatementTracer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Loads the demo data set at start-up when {@code campus.demo.load-on-start} is set (dev mode and
 * benchmarks; never by default) and the database has no courses yet. API requests that arrive
 * meanwhile wait for it, so nobody sees (or caches) an empty catalogue; once loaded, every cache is
 * invalidated on every instance.
 */
@ApplicationScoped
public class DemoDataLoader {

  private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);

  private final DemoDataGenerator generator;
  private final TwoLevelCache cache;
  private final DemoConfig demo;
  private final CompletableFuture<Void> settled = new CompletableFuture<>();

  public DemoDataLoader(DemoDataGenerator generator, TwoLevelCache cache, DemoConfig demo) {
    this.generator = generator;
    this.cache = cache;
    this.demo = demo;
    // The last start-up work: slow statements are worth a warning once it is over.
    settled.thenRun(StatementTracer::startUpFinished);
  }

  void holdApiRequests(@Observes Router router) {
    if (demo.loadOnStart()) {
      router.route("/api/*").order(Integer.MIN_VALUE).handler(this::awaitLoaded);
    }
  }

  // Last of the start-up observers: what the others start belongs to the start-up.
  void onStart(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
    if (!demo.loadOnStart()) {
      settled.complete(null);
      return;
    }
    generator
        .generateIfEmpty(DemoDataGenerator.Size.of(demo))
        .call(generated -> generated ? cache.invalidateAll() : Uni.createFrom().voidItem())
        .subscribe()
        .with(
            generated -> {
              if (!generated) {
                LOG.info("Courses exist already: demo data not loaded");
              }
              settled.complete(null);
            },
            failure -> {
              LOG.error("Demo data could not be loaded", failure);
              settled.complete(null);
            });
  }

  private void awaitLoaded(RoutingContext request) {
    if (settled.isDone()) {
      request.next();
      return;
    }
    // The router keeps the request paused until a body handler asks for the body.
    Context context = Vertx.currentContext();
    settled.whenComplete((ignored, failure) -> context.runOnContext(v -> request.next()));
  }
}
