package io.campus.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The external tools some deployment checks run. A check whose tool is missing is skipped and says
 * so on the console (with the install command); a tool that is present and fails fails the check.
 */
final class Tools {

  /** How to install each tool on a Debian/Ubuntu machine. */
  static final Map<String, String> INSTALL =
      Map.of(
          "kubectl", "see https://kubernetes.io/docs/tasks/tools/ (kubectl includes kustomize)",
          "promtool", "apt-get install -y prometheus",
          "npm", "apt-get install -y nodejs npm",
          "node", "apt-get install -y nodejs npm",
          "terraform", "see https://developer.hashicorp.com/terraform/install");

  private Tools() {}

  /** The tool's path, or the calling check is skipped with a printed reason. */
  static Path require(String tool, String check) {
    Optional<Path> path = Repo.tool(tool);
    if (path.isEmpty()) {
      String reason = check + " SKIPPED: " + tool + " is not installed (" + INSTALL.get(tool) + ")";
      System.out.println("[deploy-checks] " + reason);
      assumeTrue(false, reason);
    }
    return path.get();
  }
}
