package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles build in stages, run as the non-root user the manifests expect, and probe 9000.
 */
class ContainerImageTest {

  private static final String JVM = Repo.read(Repo.ROOT.resolve("src/main/docker/Dockerfile.jvm"));
  private static final String NATIVE =
      Repo.read(Repo.ROOT.resolve("src/main/docker/Dockerfile.native"));

  @Test
  @SuppressWarnings("unchecked")
  void bothImagesAreMultiStageNonRootAndHealthChecked() {
    Map<String, Object> deployment = Repo.object(Repo.render("prod"), "Deployment", "campus");
    Map<String, Object> podSecurity =
        (Map<String, Object>) Kustomize.podSpecs(deployment).get(0).get("securityContext");
    String user = podSecurity.get("runAsUser") + ":" + podSecurity.get("runAsGroup");
    for (String dockerfile : List.of(JVM, NATIVE)) {
      List<String> lines = instructions(dockerfile);
      assertThat(lines.stream().filter(l -> l.startsWith("FROM "))).hasSizeGreaterThanOrEqualTo(3);
      List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
      assertThat(users).last().isEqualTo("USER " + user);
      int lastFrom = lastIndexOf(lines, "FROM ");
      assertThat(lines.indexOf(users.get(users.size() - 1))).isGreaterThan(lastFrom);
      assertThat(lines)
          .anyMatch(
              l -> l.startsWith("HEALTHCHECK ") && l.contains("127.0.0.1:9000/q/health/live"));
      assertThat(lines)
          .anyMatch(l -> l.startsWith("EXPOSE ") && l.contains("8080") && l.contains("9000"));
      assertThat(lines).noneMatch(l -> l.matches("(?i)(ENV|ARG) .*(PASSWORD|SECRET|TOKEN)=.*"));
    }
  }

  @Test
  void jvmImageCarriesTheAotCacheAndTheJdkThatMadeIt() {
    List<String> lines = instructions(JVM);
    assertThat(lines)
        .anyMatch(l -> l.contains("-Paot") && l.contains("test -s target/quarkus-app/app.aot"));
    assertThat(lines).contains("COPY --from=build /opt/java/openjdk /opt/java/openjdk");
    assertThat(lines).anyMatch(l -> l.startsWith("COPY --from=build") && l.contains("app.aot"));
    assertThat(lines)
        .anyMatch(
            l -> l.startsWith("RUN ") && l.contains("-XX:AOTMode=on") && l.contains("app.aot"));
    assertThat(lines)
        .filteredOn(l -> l.startsWith("ENTRYPOINT "))
        .singleElement()
        .asString()
        .contains("\"-XX:AOTCache=app.aot\"", "\"quarkus-run.jar\"");
  }

  @Test
  void nativeImageBuildsTheNativeProfile() {
    List<String> lines = instructions(NATIVE);
    assertThat(lines).anyMatch(l -> l.startsWith("RUN ") && l.contains("-Pnative"));
    assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT ") && l.contains("/work/application"));
  }

  @Test
  void jvmOptionsTheServiceNeedsAreInTheEntryPointAndTheGcIsChosen() {
    List<String> lines = instructions(JVM);
    String entryPoint =
        lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    // JDK_JAVA_OPTIONS is replaced by whatever a pod sets, so nothing the service needs lives
    // there.
    assertThat(entryPoint)
        .contains("\"-XX:+UseParallelGC\"")
        .contains("\"-Djava.util.logging.manager=org.jboss.logmanager.LogManager\"")
        .contains("\"-XX:+ExitOnOutOfMemoryError\"")
        .contains("\"-Djava.io.tmpdir=/tmp\"")
        .doesNotContain("MaxRAMPercentage");
    String env =
        lines.stream()
            .filter(l -> l.startsWith("ENV ") && l.contains("JDK_JAVA_OPTIONS="))
            .findFirst()
            .orElseThrow();
    String options = env.replaceAll(".*JDK_JAVA_OPTIONS=\"([^\"]*)\".*", "$1");
    for (String option : options.split("\\s+")) {
      assertThat(option).matches("-XX:(MaxRAMPercentage|ActiveProcessorCount)=\\d+");
    }
  }

  @Test
  void imagesAreBuiltForTheArchitectureOfTheNodes() {
    String workflow = Repo.read(WORKFLOW);
    // Terraform runs Graviton nodes on the arm64 AMI (AwsDeploymentTest): images must match.
    assertThat(Terraform.module("eks").block("resource \"aws_eks_node_group\" \"zone\""))
        .contains("AL2023_ARM_64_STANDARD");
    assertThat(workflow).contains("platforms: linux/arm64").doesNotContain("linux/amd64");
    assertThat(workflow).contains("runs-on: ubuntu-24.04-arm");
    // The training run of the JVM image uses the build stage's own PostgreSQL and Redis packages
    // (any architecture), not the embedded x86-only binaries of the test suite.
    List<String> build = stage(instructions(JVM), "build");
    assertThat(build)
        .anyMatch(
            l ->
                l.startsWith("RUN ")
                    && l.contains("apt-get install")
                    && l.contains("postgresql")
                    && l.contains("redis-server"));
    assertThat(build)
        .anyMatch(
            l ->
                l.contains("pg_ctlcluster")
                    && l.contains("redis-server --daemonize yes")
                    && l.contains("-Paot"));
  }

  @Test
  void theNativeWorkflowBuildsWithTheDockerfilesMandrelAndRunsTheBlackBoxTests() {
    String workflow = Repo.read(WORKFLOW);
    String builder =
        instructions(NATIVE).stream()
            .filter(l -> l.startsWith("ARG BUILDER_IMAGE="))
            .findFirst()
            .orElseThrow()
            .substring("ARG BUILDER_IMAGE=".length());
    assertThat(workflow)
        .contains("./mvnw -B verify -Pnative")
        .contains("-Dquarkus.native.builder-image=" + builder)
        .contains("file: src/main/docker/Dockerfile.native");
  }

  private static final java.nio.file.Path WORKFLOW =
      Repo.ROOT.resolve(".github/workflows/native.yml");

  /** The instructions of one named stage ({@code FROM ... AS name}) up to the next FROM. */
  private static List<String> stage(List<String> lines, String name) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ") && lines.get(i).endsWith(" AS " + name)) {
        start = i;
      } else if (start >= 0 && lines.get(i).startsWith("FROM ")) {
        return lines.subList(start, i);
      }
    }
    assertThat(start).as("stage " + name).isNotNegative();
    return lines.subList(start, lines.size());
  }

  /** Dockerfile instructions with continuation lines joined and comments dropped. */
  private static List<String> instructions(String dockerfile) {
    String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
    return Arrays.stream(joined.split("\n"))
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static int lastIndexOf(List<String> lines, String prefix) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
