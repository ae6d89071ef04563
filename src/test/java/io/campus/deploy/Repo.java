package io.campus.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Paths of the deployment files and small helpers shared by the deployment checks. */
final class Repo {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
  static final Path K8S = ROOT.resolve("k8s");
  static final Path TERRAFORM = ROOT.resolve("terraform");
  static final Path MONITORING = ROOT.resolve("monitoring");

  /** Environments: a Terraform tfvars file and a Kustomize overlay each. */
  static final List<String> OVERLAYS = List.of("dev", "prod");

  /** Every Kustomize overlay: the environments plus prod on the native executable. */
  static final List<String> K8S_OVERLAYS = List.of("dev", "prod", "prod-native");

  /** The environment (Terraform state) an overlay deploys to. */
  static String environment(String overlay) {
    return overlay.startsWith("prod") ? "prod" : overlay;
  }

  private Repo() {}

  static Properties applicationProperties() {
    Properties properties = new Properties();
    try (Reader reader =
        Files.newBufferedReader(
            ROOT.resolve("src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  static List<Map<String, Object>> render(String overlay) {
    return Kustomize.render(K8S.resolve("overlays").resolve(overlay));
  }

  /** The values Terraform wrote for an overlay (k8s/overlays/ENV/terraform-outputs.env). */
  static Map<String, String> overlayValues(String overlay) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    read(K8S.resolve("overlays").resolve(environment(overlay)).resolve("terraform-outputs.env"))
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return values;
  }

  /** The settings Terraform wrote for an overlay (k8s/overlays/ENV/terraform-settings.env). */
  static Map<String, String> overlaySettings(String overlay) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    read(K8S.resolve("overlays").resolve(environment(overlay)).resolve("terraform-settings.env"))
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return values;
  }

  /** The data of the rendered campus-config ConfigMap (its name carries a hash suffix). */
  @SuppressWarnings("unchecked")
  static Map<String, String> configMapData(List<Map<String, Object>> objects) {
    return objects.stream()
        .filter(o -> "ConfigMap".equals(o.get("kind")))
        .filter(
            o ->
                String.valueOf(Kustomize.map(o, "metadata").get("name"))
                    .startsWith("campus-config"))
        .map(o -> (Map<String, String>) o.get("data"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No campus-config ConfigMap"));
  }

  static Map<String, Object> object(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream()
        .filter(
            o ->
                kind.equals(o.get("kind")) && name.equals(Kustomize.map(o, "metadata").get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No " + kind + "/" + name));
  }

  static List<Path> files(Path root, String suffix) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Run(int exit, String output) {}

  static Run run(Path directory, String... command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
