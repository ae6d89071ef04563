package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Netty below 4.1.132 has request smuggling and resource exhaustion flaws in its HTTP codec
 * (CVE-2026-33870, CVE-2026-33871). The Quarkus platform in use manages an older Netty, so the pom
 * overrides it; this fails when the override goes or a platform update brings an older one back.
 * {@code PackagedApplicationIT} checks the jars the package actually ships.
 */
class DependencyVersionsTest {

  static final int[] MIN_NETTY = {4, 1, 135};

  @Test
  void everyNettyModuleOnTheClasspathIsPatched() {
    Map<String, Version> modules = Version.identify();
    assertThat(modules).containsKeys("netty-codec-http", "netty-handler", "netty-common");
    modules.forEach(
        (artifact, version) ->
            assertThat(atLeast(version.artifactVersion(), MIN_NETTY))
                .as("%s %s", artifact, version.artifactVersion())
                .isTrue());
  }

  static boolean atLeast(String version, int[] min) {
    String[] parts = version.split("[.-]");
    for (int i = 0; i < min.length; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v != min[i]) {
        return v > min[i];
      }
    }
    return true;
  }
}
