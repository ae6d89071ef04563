package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
 * Every cache the code declares is configured: "invalidate everything" (demo load, an operator's
 * change by hand) reaches the configured caches on instances that have not used them yet.
 */
class CacheNamesTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"));
  private static final Pattern SPEC = Pattern.compile("CacheSpec\\.of\\(\\s*\"([a-z0-9-]+)\"");
  private static final Pattern TTL =
      Pattern.compile("campus\\.cache\\.caches\\.([a-z0-9-]+)\\.ttl");

  @Test
  void everyDeclaredCacheHasItsOwnTtl() throws IOException {
    Set<String> declared = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(ROOT.resolve("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = SPEC.matcher(Files.readString(source));
        while (m.find()) {
          declared.add(m.group(1));
        }
      }
    }
    Properties properties = new Properties();
    try (Reader reader =
        Files.newBufferedReader(
            ROOT.resolve("src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    Set<String> configured = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      Matcher m = TTL.matcher(key);
      if (m.matches()) {
        configured.add(m.group(1));
      }
    }
    assertThat(declared).isNotEmpty();
    assertThat(configured).containsAll(declared);
  }
}
