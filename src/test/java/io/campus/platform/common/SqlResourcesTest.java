package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SQL resources and their users agree: every {@code Sql.load} names a file that exists, every
 * file is loaded somewhere, each says what it serves and which index serves it, and a native
 * executable keeps them.
 */
class SqlResourcesTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"));
  private static final Path SOURCES = ROOT.resolve("src/main/java");
  private static final Path RESOURCES = ROOT.resolve("src/main/resources");
  private static final Pattern LOAD = Pattern.compile("Sql\\.load\\(\\s*(\"([^\"]*)\")?");
  // an index or key the statement relies on, as the migrations name them, or why there is none
  private static final Pattern INDEX =
      Pattern.compile("\\w+_(idx|key|uq|gin)\\b|\\bprimary key\\b|\\bNo index: ");

  private static Set<String> referenced() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (file.endsWith("common/Sql.java")) {
          continue;
        }
        Matcher m = LOAD.matcher(Files.readString(file));
        while (m.find()) {
          assertThat(m.group(2))
              .as("Sql.load in %s takes a literal name, so this test can follow it", file)
              .isNotNull();
          names.add(m.group(2));
        }
      }
    }
    return names;
  }

  private static Set<String> files() throws IOException {
    Set<String> names = new TreeSet<>();
    Path sql = RESOURCES.resolve("sql");
    try (Stream<Path> files = Files.walk(sql)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                String name = sql.relativize(f).toString().replace('\\', '/');
                assertThat(name).as("only .sql files under sql/").endsWith(".sql");
                names.add(name.substring(0, name.length() - ".sql".length()));
              });
    }
    return names;
  }

  @Test
  void everyLoadedResourceExistsAndEveryResourceIsLoaded() throws IOException {
    Set<String> referenced = referenced();
    assertThat(referenced).as("Sql.load calls found").hasSizeGreaterThanOrEqualTo(20);
    assertThat(files()).containsExactlyInAnyOrderElementsOf(referenced);
    for (String name : referenced) {
      assertThat(Sql.load(name)).as(name).isNotBlank();
    }
  }

  @Test
  void eachResourceOpensWithWhatItServesAndItsIndexes() throws IOException {
    for (String name : files()) {
      String text = Files.readString(RESOURCES.resolve("sql/" + name + ".sql"));
      StringBuilder header = new StringBuilder();
      for (String line : text.split("\n")) {
        if (!line.startsWith("--")) {
          break;
        }
        header.append(line.substring(2)).append(' ');
      }
      assertThat(header).as("opening comment of %s", name).isNotEmpty();
      assertThat(INDEX.matcher(header).find())
          .as("%s names the index it relies on: %s", name, header)
          .isTrue();
      assertThat(text).as(name).doesNotContain("%s").doesNotContain("%1$");
    }
  }

  @Test
  void aNativeExecutableKeepsThem() throws IOException {
    Properties app = new Properties();
    try (InputStream in = Files.newInputStream(RESOURCES.resolve("application.properties"))) {
      app.load(in);
    }
    assertThat(app.getProperty("quarkus.native.resources.includes").split(",")).contains("sql/**");
  }
}
