package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The npm packages of src/test/deploy-tools (Kubernetes schemas, HashiCorp's HCL parser), installed
 * once per build with {@code npm ci} into its git-ignored node_modules. Checks that need them are
 * skipped with a printed reason where node or npm is missing.
 */
final class NodeTools {

  static final Path DIR = Repo.ROOT.resolve("src/test/deploy-tools");

  private static volatile boolean installed;

  private NodeTools() {}

  /** Runs one of the scripts with node, after installing the packages if needed. */
  static Repo.Run run(String check, String script, String... args) {
    Path node = Tools.require("node", check);
    install(check);
    List<String> command = new ArrayList<>(List.of(node.toString(), script));
    command.addAll(List.of(args));
    return Repo.run(DIR, command.toArray(String[]::new));
  }

  private static synchronized void install(String check) {
    Path npm = Tools.require("npm", check);
    if (installed) {
      return;
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/@cdktf/hcl2json"))
        || !Files.isDirectory(DIR.resolve("node_modules/kubernetes-models"))) {
      Repo.Run run = Repo.run(DIR, npm.toString(), "ci", "--no-audit", "--no-fund");
      assertThat(run.exit()).as("npm ci in " + DIR + ":\n" + run.output()).isZero();
    }
    installed = true;
  }
}
