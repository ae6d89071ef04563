package io.campus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The tests run against a database of their own and can never clean anyone else's. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class TestIsolationTest {

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String reactiveUrl;

  @Test
  void bothPoolsUseTheRunsOwnDatabase() {
    String own = System.getProperty(CampusTestResources.JDBC_URL_PROPERTY);
    assertThat(own).isEqualTo(jdbcUrl);
    String name = own.substring(own.lastIndexOf('/') + 1);
    assertThat(name).startsWith(OwnDatabase.PREFIX);
    assertThat(reactiveUrl).endsWith("/" + name);
  }

  @Test
  void flywayMayNeverCleanADatabase() {
    var config = ConfigProvider.getConfig();
    assertThat(
            config.getOptionalValue("quarkus.flyway.clean-at-start", Boolean.class).orElse(false))
        .isFalse();
    assertThat(config.getOptionalValue("quarkus.flyway.clean-disabled", Boolean.class).orElse(true))
        .isTrue();
  }

  @Test
  void redisKeysOfARunAreRemovedByPrefixOnly() throws Exception {
    String redis = ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class);
    String prefix = "campus:isolation-" + java.util.UUID.randomUUID() + ":";
    String other = "campus:isolation-other-" + java.util.UUID.randomUUID();
    try (var socket = new java.net.Socket("127.0.0.1", java.net.URI.create(redis).getPort());
        var out = socket.getOutputStream()) {
      for (String key : java.util.List.of(prefix + "a", prefix + "b*", other)) {
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(
            ("*3\r\n$3\r\nSET\r\n$" + k.length + "\r\n" + key + "\r\n$1\r\n1\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      out.flush();
      socket.getInputStream().readNBytes(15); // three "+OK\r\n"
    }
    assertThat(RedisKeys.deleteByPrefix(redis, prefix)).isEqualTo(2);
    assertThat(RedisKeys.deleteByPrefix(redis, other)).isEqualTo(1);
  }

  @Test
  void aDatabaseOfItsOwnIsGoneAfterClose() throws Exception {
    OwnDatabase db = OwnDatabase.create(jdbcUrl, "postgres");
    assertThat(exists(db.name())).isTrue();
    assertThat(db.appRole()).startsWith(OwnDatabase.ROLE_PREFIX);
    assertThat(roleExists(db.appRole())).isTrue();
    db.close();
    assertThat(exists(db.name())).isFalse();
    assertThat(roleExists(db.appRole())).as("the run's own role goes with its database").isFalse();
    assertThat(roleExists(OwnDatabase.APP_PRIVILEGES))
        .as("the shared group role stays for concurrent runs")
        .isTrue();
  }

  private boolean exists(String name) throws Exception {
    return count("select count(*) from pg_database where datname = ?", name);
  }

  private boolean roleExists(String name) throws Exception {
    return count("select count(*) from pg_roles where rolname = ?", name);
  }

  private boolean count(String sql, String name) throws Exception {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", null);
        PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1) == 1;
      }
    }
  }
}
