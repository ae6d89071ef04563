package io.campus.platform.devsupport;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * Dev mode on a machine with only a JDK: when nothing answers at the configured PostgreSQL or Redis
 * address, start embedded ones and point the service at them; when PostgreSQL answers, create the
 * configured database if it does not exist yet. Inactive in every other profile.
 */
public class LocalFallbackConfigSourceFactory implements ConfigSourceFactory {

  private static final Logger LOG = Logger.getLogger(LocalFallbackConfigSourceFactory.class);

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (!context.getProfiles().contains("dev")
        || "false".equals(value(context, "campus.local-fallback.enabled"))) {
      return List.of();
    }
    Map<String, String> overrides = new HashMap<>();
    String pgUrl = value(context, "quarkus.datasource.reactive.url");
    if (pgUrl != null && EmbeddedServers.answers(pgUrl, 5432)) {
      // Dev mode works in a database of its own, created on first start.
      EmbeddedServers.ensureDatabase(pgUrl, value(context, "quarkus.datasource.username"));
    } else if (pgUrl != null) {
      int port = EmbeddedServers.postgres();
      LOG.infof("Nothing answers at %s: using an embedded PostgreSQL on port %d", pgUrl, port);
      overrides.put(
          "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres");
      overrides.put(
          "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
      overrides.put("quarkus.datasource.username", "postgres");
    }
    String redisUrl = value(context, "quarkus.redis.hosts");
    if (redisUrl != null && !EmbeddedServers.answers(redisUrl, 6379)) {
      try {
        int port = EmbeddedServers.redis();
        LOG.infof("Nothing answers at %s: using an embedded Redis on port %d", redisUrl, port);
        overrides.put("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
      } catch (RuntimeException | LinkageError e) {
        LOG.warnf("No Redis at %s and none could be started; caching stays in-process", redisUrl);
      }
    }
    if (overrides.isEmpty()) {
      return List.of();
    }
    return List.of(new PropertiesConfigSource(overrides, "campus-local-fallback", 500));
  }

  private static String value(ConfigSourceContext context, String name) {
    ConfigValue value = context.getValue(name);
    return value == null ? null : value.getValue();
  }
}
