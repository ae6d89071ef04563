package io.campus.deploy;

import java.nio.file.Path;
import java.util.Map;

/**
 * The external tools the deployment checks run, with their install commands. A check whose tool is
 * missing is skipped and says so (testsupport.Tools); a tool that is present and fails fails it.
 */
final class Tools {

  /** How to install each tool on a Debian/Ubuntu machine. */
  static final Map<String, String> INSTALL =
      Map.of(
          "kubectl", "see https://kubernetes.io/docs/tasks/tools/ (kubectl includes kustomize)",
          "promtool", "apt-get install -y prometheus",
          "npm", "apt-get install -y nodejs npm",
          "node", "apt-get install -y nodejs npm",
          "terraform", "see https://developer.hashicorp.com/terraform/install",
          "psql", "apt-get install -y postgresql-client");

  private Tools() {}

  /** The tool's path, or the calling check is skipped with a printed reason. */
  static Path require(String tool, String check) {
    return io.campus.testsupport.Tools.require(tool, check, INSTALL.get(tool));
  }
}
