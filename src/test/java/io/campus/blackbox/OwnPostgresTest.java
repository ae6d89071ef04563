package io.campus.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * The black-box PostgreSQL starts from a checkout that only its owner may enter (a home directory,
 * {@code mktemp -d}), also when it runs as another user, and leaves nothing behind but its log.
 */
class OwnPostgresTest {

  @Test
  void startsFromAPrivateCheckoutAndRemovesItsDataDirectory() throws Exception {
    Path checkout =
        Files.createTempDirectory(
            "campus-private-checkout-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    String basedir = System.getProperty("basedir");
    System.setProperty("basedir", checkout.toString());
    Path work;
    boolean machineBinaries;
    try (OwnPostgres pg = OwnPostgres.start("private")) {
      work = pg.workDirectory();
      machineBinaries = !pg.describe().startsWith("embedded");
      assertThat(work.startsWith(checkout)).isFalse();
      try (Connection connection = pg.connect();
          ResultSet rows = connection.createStatement().executeQuery("select 1")) {
        assertThat(rows.next()).isTrue();
      }
    } finally {
      if (basedir == null) {
        System.clearProperty("basedir");
      } else {
        System.setProperty("basedir", basedir);
      }
    }
    assertThat(work).doesNotExist();
    try (var logs = Files.walk(checkout.resolve("target/blackbox"))) {
      assertThat(logs.filter(p -> p.getFileName().toString().equals("postgres.log")))
          .as("the server log is kept beside the other black-box logs")
          .hasSize(machineBinaries ? 1 : 0);
    }
    OsProcesses.deleteTree(checkout);
  }
}
