package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.OwnDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A migration that needs a table some long transaction holds gives up after the configured lock
 * timeout (the pod fails its start and retries) instead of queueing every query of the service on
 * that table behind its own waiting lock until the start-up probe kills it.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class MigrationLockTimeoutTest {

  @Inject Flyway flyway;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @Test
  void aMigrationWaitingForABusyTableGivesUp() throws Exception {
    try (OwnDatabase db = OwnDatabase.create(jdbcUrl, "postgres")) {
      // the service's own migrations and settings, on a database of this test's own
      Flyway ours =
          Flyway.configure()
              .configuration(flyway.getConfiguration())
              .dataSource(db.jdbcUrl(), "postgres", "")
              .target("12")
              .load();
      ours.migrate();
      try (Connection holder = DriverManager.getConnection(db.jdbcUrl(), "postgres", "");
          Statement statement = holder.createStatement()) {
        holder.setAutoCommit(false);
        // a reader that stays: V13 alters users, which must wait for it
        statement.execute("select count(*) from users");
        CompletableFuture<Void> next =
            CompletableFuture.runAsync(
                () ->
                    Flyway.configure()
                        .configuration(flyway.getConfiguration())
                        .dataSource(db.jdbcUrl(), "postgres", "")
                        .load()
                        .migrate());
        Throwable failure = catchThrowable(() -> next.get(30, TimeUnit.SECONDS));
        holder.rollback();
        assertThat(failure)
            .as("gave up instead of waiting")
            .isNotNull()
            .isNotInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(failure).hasStackTraceContaining("lock timeout");
      }
    }
  }
}
