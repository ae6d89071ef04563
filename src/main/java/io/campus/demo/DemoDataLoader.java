package io.campus.demo;

import io.campus.CampusConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Loads the demo data set at start-up when {@code campus.demo.load-on-start} is set (dev mode and
 * benchmarks; never by default) and the database has no courses yet.
 */
@ApplicationScoped
public class DemoDataLoader {

  private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);

  private final DemoDataGenerator generator;
  private final CampusConfig.Demo demo;

  public DemoDataLoader(DemoDataGenerator generator, CampusConfig config) {
    this.generator = generator;
    this.demo = config.demo();
  }

  void onStart(@Observes StartupEvent event) {
    if (!demo.loadOnStart()) {
      return;
    }
    generator
        .generateIfEmpty(DemoDataGenerator.Size.of(demo))
        .subscribe()
        .with(
            generated -> {
              if (!generated) {
                LOG.info("Courses exist already: demo data not loaded");
              }
            },
            failure -> LOG.error("Demo data could not be loaded", failure));
  }
}
