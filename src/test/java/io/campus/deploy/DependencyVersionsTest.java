package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Netty below 4.1.132 has request smuggling and resource exhaustion flaws in its HTTP codec
 * (CVE-2026-33870, CVE-2026-33871). The Quarkus platform in use manages an older Netty, so the pom
 * overrides it; this fails when the override goes or a platform update brings an older one back.
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

  @Test
  void thePackagedApplicationShipsAPatchedNetty() throws IOException {
    Path lib = Repo.ROOT.resolve("target/quarkus-app/lib/main");
    if (!Files.isDirectory(lib)) {
      return; // not packaged in this build; the classpath check above still holds
    }
    Pattern jar =
        Pattern.compile("io\\.netty\\.netty-[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+)\\.Final.*\\.jar");
    try (Stream<Path> files = Files.list(lib)) {
      List<String> netty =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("io.netty."))
              .toList();
      assertThat(netty).isNotEmpty();
      for (String name : netty) {
        Matcher m = jar.matcher(name);
        assertThat(m.matches()).as(name).isTrue();
        assertThat(atLeast(m.group(1), MIN_NETTY)).as(name).isTrue();
      }
    }
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
