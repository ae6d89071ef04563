package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * In-process caches keep their housekeeping (eviction, expiry) on the thread that uses them. By
 * default Caffeine hands it to the common ForkJoinPool, which on a cached request means waking a
 * pool thread from the event loop (a futex call) and a second thread competing for the cores.
 */
class LocalCachesTest {

  private static final Path SOURCES = Path.of(System.getProperty("user.dir"), "src/main/java");

  @Test
  void evictionRunsOnTheCallingThread() {
    List<Thread> evictedOn = new CopyOnWriteArrayList<>();
    Cache<String, String> cache =
        LocalCaches.builder()
            .maximumSize(1)
            .<String, String>removalListener(
                (key, value, cause) -> evictedOn.add(Thread.currentThread()))
            .build();

    for (int i = 0; i < 10; i++) {
      cache.put("key-" + i, "value");
    }

    // No cleanUp(), no waiting: done by the time put returned, and by this thread.
    assertThat(evictedOn).hasSize(9).containsOnly(Thread.currentThread());
    assertThat(cache.estimatedSize()).isEqualTo(1);
  }

  @Test
  void everyInProcessCacheIsBuiltByLocalCaches() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      List<String> direct =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.endsWith("LocalCaches.java"))
              .filter(p -> read(p).contains("Caffeine.newBuilder()"))
              .map(p -> SOURCES.relativize(p).toString())
              .toList();
      assertThat(direct).as("sources building a Caffeine cache themselves").isEmpty();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
