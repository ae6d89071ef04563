package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-cache settings can be overridden by environment variables spelled as the README says: the
 * cache's name upper-cased with its dashes as underscores, between single underscores.
 */
class CacheConfigEnvTest {

  private static CacheConfig withEnv(Map<String, String> env) throws IOException {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(
                new PropertiesConfigSource(
                    CacheConfigEnvTest.class.getClassLoader().getResource("application.properties"),
                    250))
            .withSources(new EnvConfigSource(env, 300))
            .withMapping(CacheConfig.class)
            .build();
    return config.getConfigMapping(CacheConfig.class);
  }

  @Test
  void aCachesTtlAndStaleIfErrorFollowTheEnvironment() throws IOException {
    CacheConfig config =
        withEnv(
            Map.of(
                "CAMPUS_CACHE_CACHES_COURSE_DETAIL_TTL", "PT1M",
                "CAMPUS_CACHE_CACHES_COURSE_DETAIL_STALE_IF_ERROR", "PT2M",
                "CAMPUS_CACHE_CACHES_SESSION_TTL", "PT3M"));
    assertThat(config.caches().get("course-detail").ttl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.caches().get("course-detail").staleIfError()).contains(Duration.ofMinutes(2));
    assertThat(config.caches().get("session").ttl()).isEqualTo(Duration.ofMinutes(3));
    assertThat(config.caches()).doesNotContainKey("course.detail");
  }

  @Test
  void withoutTheEnvironmentTheFileHolds() throws IOException {
    CacheConfig config = withEnv(Map.of());
    assertThat(config.caches().get("course-detail").ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.caches().get("session").ttl()).isEqualTo(Duration.ofMinutes(15));
  }
}
