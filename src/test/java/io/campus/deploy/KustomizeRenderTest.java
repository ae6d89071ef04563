package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kustomization renders with the real kubectl kustomize, and a broken one fails the build.
 */
class KustomizeRenderTest {

  @Test
  void everyKustomizationRenders() {
    List<Path> kustomizations = new ArrayList<>(Repo.files(Repo.K8S, "kustomization.yaml"));
    kustomizations.addAll(Repo.files(Repo.MONITORING, "kustomization.yaml"));
    assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(4);
    for (Path file : kustomizations) {
      if ("Component".equals(Kustomize.readOne(file).get("kind"))) {
        continue; // rendered as part of the overlays that use it
      }
      List<Map<String, Object>> objects = Kustomize.render(file.getParent());
      assertThat(objects).as(file.toString()).isNotEmpty();
    }
  }

  @Test
  void aKustomizationKubectlRejectsFailsInsteadOfBeingSkipped(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            + "resources:\n  - missing.yaml\n");
    Tools.require("kubectl", "Kustomize failure check");
    assertThatThrownBy(() -> Kustomize.render(dir))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("kubectl kustomize")
        .hasMessageContaining("missing.yaml");
  }
}
