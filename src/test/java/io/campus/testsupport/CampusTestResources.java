package io.campus.testsupport;

import io.campus.platform.devsupport.EmbeddedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Test infrastructure for every {@code @QuarkusTest}: uses the PostgreSQL and Redis configured for
 * the test profile when they answer, starts embedded ones when they do not, and routes the
 * service's reactive pool through a {@link PgWireCounter} so tests can assert exact statement
 * counts.
 */
public class CampusTestResources implements QuarkusTestResourceLifecycleManager {

  /** The test run's database, for tests that must reach it over JDBC (set while it exists). */
  public static final String JDBC_URL_PROPERTY = "campus-test.jdbc-url";

  /** The login role the service's requests run as (set while the database exists). */
  public static final String APP_ROLE_PROPERTY = "campus-test.app-role";

  private PgWireCounter counter;
  private OwnDatabase database;
  private String redisUrl;
  private String keyPrefix;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    String jdbcUrl =
        setting("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    if (!EmbeddedServers.answers(jdbcUrl, 5432)) {
      int port = EmbeddedServers.postgres();
      jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
      config.put("quarkus.datasource.username", "postgres");
    }
    // The configured database only names the server: every run gets a database of its own.
    database = OwnDatabase.create(jdbcUrl, setting("quarkus.datasource.username", "postgres"));
    try {
      counter = new PgWireCounter(database.host(), database.port());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
    // Requests run as the run's application role; Flyway migrates as the server's owner role, as
    // the migration role does in production. (Flyway needs a password to take these; the test
    // servers trust local connections and never ask for it.)
    String owner = setting("quarkus.datasource.username", "postgres");
    config.put(
        "quarkus.flyway.username", config.getOrDefault("quarkus.datasource.username", owner));
    config.put("quarkus.flyway.password", "unused-trust-authentication");
    config.put("quarkus.datasource.username", database.appRole());
    System.setProperty(APP_ROLE_PROPERTY, database.appRole());
    config.put(
        "quarkus.datasource.reactive.url",
        "postgresql://127.0.0.1:" + counter.port() + "/" + database.name());
    System.setProperty(JDBC_URL_PROPERTY, database.jdbcUrl());

    // Schema and ids start afresh each run while the shared Redis keeps its keys: give every run
    // its own key space so no entry of an earlier run is ever read.
    String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    keyPrefix = "campus:test-" + run + ":";
    config.put("campus.cache.key-prefix", keyPrefix);
    config.put("campus.cache.channel", keyPrefix + "invalidations");

    redisUrl = setting("quarkus.redis.hosts", "redis://127.0.0.1:6379");
    if (!EmbeddedServers.answers(redisUrl, 6379)) {
      redisUrl = "redis://127.0.0.1:" + EmbeddedServers.redis();
    }
    config.put("quarkus.redis.hosts", redisUrl);
    return config;
  }

  private static String setting(String name, String fallback) {
    Optional<String> value = ConfigProvider.getConfig().getOptionalValue(name, String.class);
    return value.orElse(fallback);
  }

  @Override
  public void stop() {
    try {
      if (counter != null) {
        counter.close();
      }
    } catch (IOException ignored) {
      // closing sockets of a finished test run
    }
    if (keyPrefix != null) {
      try {
        // Tag versions have no TTL: without this they would stay in the user's Redis.
        RedisKeys.deleteByPrefix(redisUrl, keyPrefix);
      } catch (IOException e) {
        System.err.println("Could not remove Redis keys " + keyPrefix + "*: " + e.getMessage());
      }
    }
    if (database != null) {
      database.close();
      System.clearProperty(JDBC_URL_PROPERTY);
      System.clearProperty(APP_ROLE_PROPERTY);
    }
  }
}
