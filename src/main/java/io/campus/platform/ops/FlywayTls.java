package io.campus.platform.ops;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Refuses to migrate over a JDBC URL that would not verify PostgreSQL's certificate and host name
 * ({@link BackendTls#checkJdbcUrl}): Flyway logs in as the migration role, before anything else
 * runs, so this check comes before its first connection.
 */
@Singleton
public class FlywayTls implements FlywayConfigurationCustomizer {

  private final BackendTls tls;
  private final Optional<String> jdbcUrl;

  public FlywayTls(
      BackendTls tls, @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url) {
    this.tls = tls;
    this.jdbcUrl = url;
  }

  @Override
  public void customize(FluentConfiguration configuration) {
    jdbcUrl.ifPresent(url -> BackendTls.checkJdbcUrl(url, tls.postgresTls()));
  }
}
