package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.devsupport.EmbeddedServers;
import io.campus.testsupport.OwnDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The production chain of database roles, run for real on the local PostgreSQL with roles of this
 * run's own: the bootstrap SQL of the README (as the master user), then every migration as the
 * migration role (no CREATEROLE, not superuser), then the application role's limits.
 */
class DatabaseRolesBootstrapTest {

  private static final Path BOOTSTRAP = Path.of("terraform/modules/database/bootstrap-roles.sql");

  @Test
  void theBootstrapGrantsNothingBeyondLeastPrivilege() throws Exception {
    String sql =
        Files.readString(BOOTSTRAP)
            .toLowerCase()
            .replaceAll("(?m)^--.*$", ""); // the statements, not their comments
    assertThat(sql)
        .doesNotContain("grant pg_read_all_stats", "grant pg_signal_backend", "grant pg_monitor")
        .doesNotContainPattern("(?<!no)superuser|(?<!no)createrole|(?<!no)createdb")
        .contains("grant campus_app_privileges to :\"app_role\"");
    // The README runs this file, with the role names Terraform keeps the passwords of.
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("bootstrap-roles.sql").doesNotContain("GRANT pg_read_all_stats");
    assertThat(Files.readString(Path.of("terraform/modules/database/variables.tf")))
        .contains("\"campus_app\"", "\"campus_migrator\"");
  }

  @Test
  void migrationsRunAsTheMigrationRoleAndRequestsAsTheApplicationRole() throws Exception {
    Path psql = Tools.require("psql", "the database role bootstrap");
    String server = "jdbc:postgresql://127.0.0.1:5432/postgres";
    if (!EmbeddedServers.answers(server, 5432)) {
      server = "jdbc:postgresql://127.0.0.1:" + EmbeddedServers.postgres() + "/postgres";
    }
    OwnDatabase db = OwnDatabase.create(server, "postgres");
    String migrator = "campus_test_mig_" + db.name().substring(OwnDatabase.PREFIX.length());
    try {
      for (int round = 0; round < 2; round++) { // idempotent: a second run changes nothing
        Process process =
            new ProcessBuilder(
                    psql.toString(),
                    "-X",
                    "-q",
                    "-h",
                    db.host(),
                    "-p",
                    Integer.toString(db.port()),
                    "-U",
                    "postgres",
                    "-d",
                    db.name(),
                    "-v",
                    "database=" + db.name(),
                    "-v",
                    "app_role=" + db.appRole(),
                    "-v",
                    "app_password=not-checked-by-trust-authentication",
                    "-v",
                    "migrator_role=" + migrator,
                    "-v",
                    "migrator_password=not-checked-by-trust-authentication",
                    "-f",
                    BOOTSTRAP.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
      }

      Flyway.configure()
          .dataSource(db.jdbcUrl(), migrator, "not-checked")
          .locations("classpath:db/migration")
          .load()
          .migrate();

      try (Connection owner = DriverManager.getConnection(db.jdbcUrl(), migrator, null);
          Statement s = owner.createStatement();
          ResultSet rows =
              s.executeQuery(
                  "select count(*) filter (where tableowner <> current_user) from pg_tables"
                      + " where schemaname = 'public'")) {
        rows.next();
        assertThat(rows.getInt(1)).as("every table belongs to the migration role").isZero();
      }
      try (Connection app = DriverManager.getConnection(db.jdbcUrl(), db.appRole(), null);
          Statement s = app.createStatement()) {
        s.execute("select count(*) from users");
        s.execute("select refresh_leaderboard()");
        try (ResultSet rows =
            s.executeQuery(
                "select r.rolsuper or r.rolcreaterole or r.rolcreatedb"
                    + " or pg_has_role(current_user, 'pg_read_all_stats', 'usage')"
                    + " or pg_has_role(current_user, 'pg_signal_backend', 'usage')"
                    + " or pg_has_role(current_user, '"
                    + migrator
                    + "', 'usage') from pg_roles r where r.rolname = current_user")) {
          rows.next();
          assertThat(rows.getBoolean(1)).as("the application role holds no extra power").isFalse();
        }
        for (String ddl :
            List.of("create table intruder (id int)", "drop table users", "truncate users")) {
          assertThat(fails(s, ddl)).as(ddl).isTrue();
        }
      }
    } finally {
      db.close();
      try (Connection c = DriverManager.getConnection(server, "postgres", null);
          Statement s = c.createStatement()) {
        s.execute("drop role if exists " + migrator);
      }
    }
  }

  private static boolean fails(Statement s, String sql) {
    try {
      s.execute(sql);
      return false;
    } catch (SQLException e) {
      return e.getMessage().contains("must be owner")
          || e.getMessage().contains("permission denied");
    }
  }
}
