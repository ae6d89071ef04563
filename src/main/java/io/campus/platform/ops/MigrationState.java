package io.campus.platform.ops;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Whether every migration of this build is applied; read once at start-up (over JDBC, like Flyway).
 */
@ApplicationScoped
public class MigrationState {

  private static final Logger LOG = Logger.getLogger(MigrationState.class);

  private final Instance<Flyway> flyway;
  private volatile boolean applied;
  private volatile String version = "unknown";

  public MigrationState(Instance<Flyway> flyway) {
    this.flyway = flyway;
  }

  void onStart(@Observes StartupEvent event) {
    try {
      var info = flyway.get().info();
      applied = info.pending().length == 0;
      version = info.current() == null ? "none" : info.current().getVersion().getVersion();
      if (!applied) {
        LOG.warnf("%d migrations are pending", info.pending().length);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not read the migration state", e);
      applied = false;
    }
  }

  public boolean applied() {
    return applied;
  }

  public String version() {
    return version;
  }
}
