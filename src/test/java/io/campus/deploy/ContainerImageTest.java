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
