package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The renderer the checks rely on agrees with the real kustomize wherever one is installed. */
class KustomizeRenderTest {

  @Test
  void configMapHashMatchesKustomize() {
    // Values printed by kustomize v5 for these literals.
    assertThat(Kustomize.configMapHash(Map.of("A", "1", "B", "two"))).isEqualTo("6b56fdfggc");
  }

  @Test
  void everyOverlayRendersLikeKubectlKustomize() {
    Optional<Path> kubectl = Repo.tool("kubectl");
    assumeTrue(kubectl.isPresent(), "kubectl is not installed: comparison skipped");
    for (String target : List.of("base", "overlays/dev", "overlays/prod")) {
      Path dir = Repo.K8S.resolve(target);
      Repo.Run run = Repo.run(Repo.ROOT, kubectl.get().toString(), "kustomize", dir.toString());
      assumeTrue(run.exit() == 0, "kubectl kustomize failed here: " + run.output());
      assertThat(byId(Kustomize.render(dir)))
          .as("render of %s", target)
          .isEqualTo(byId(Kustomize.parseAll(run.output())));
    }
  }

  private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> byId = new TreeMap<>();
    for (Map<String, Object> object : objects) {
      Map<String, Object> metadata = Kustomize.map(object, "metadata");
      byId.put(
          object.get("kind") + "/" + metadata.get("namespace") + "/" + metadata.get("name"),
          object);
    }
    return byId;
  }
}
