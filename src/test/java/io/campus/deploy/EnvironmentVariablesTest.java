package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable the manifests give the container names a setting the service has: a
 * misspelt or retired one is silently ignored, and the operator who sets it believes it works.
 * Quarkus' settings come from the configuration model each extension ships; Campus' own from its
 * {@code @ConfigMapping} interfaces.
 */
class EnvironmentVariablesTest {

  private static final Pattern ENV_IN_MODEL =
      Pattern.compile("\"environmentVariable\"\\s*:\\s*\"([A-Z0-9_]+)\"");

  @Test
  void everyVariableOfEveryOverlayNamesASetting() throws Exception {
    List<Pattern> known = new ArrayList<>(quarkusSettings());
    known.addAll(campusSettings());
    // the check tells a setting from a near miss
    for (String variable :
        List.of("CAMPUS_OPS_DB_READ_CONNECTIONS", "QUARKUS_TLS_RDS_TRUST_STORE_PEM_CERTS")) {
      assertThat(known).as(variable).anyMatch(p -> p.matcher(variable).matches());
    }
    for (String variable :
        List.of("CAMPUS_OPS_DB_READ_CONECTIONS", "QUARKUS_DATASOURCE_REACTIVE_MAXSIZE")) {
      assertThat(known).as(variable).noneMatch(p -> p.matcher(variable).matches());
    }
    Map<String, Set<String>> unknown = new TreeMap<>();
    for (String overlay : Repo.K8S_OVERLAYS) {
      for (String variable : variables(Kustomize.render(Repo.K8S.resolve("overlays/" + overlay)))) {
        if (known.stream().noneMatch(p -> p.matcher(variable).matches())) {
          unknown.computeIfAbsent(variable, v -> new TreeSet<>()).add(overlay);
        }
      }
    }
    assertThat(unknown).as("variables no setting reads").isEmpty();
  }

  /** The container's variables, from its env entries and the ConfigMaps it reads whole. */
  @SuppressWarnings("unchecked")
  private static Set<String> variables(List<Map<String, Object>> objects) {
    Map<String, Object> deployment = Repo.object(objects, "Deployment", "campus");
    Map<String, Object> container =
        (Map<String, Object>)
            ((List<Object>) Kustomize.podSpecs(deployment).get(0).get("containers")).get(0);
    Set<String> names = new TreeSet<>();
    for (Object from : (List<Object>) container.getOrDefault("envFrom", List.of())) {
      Map<String, Object> ref =
          (Map<String, Object>) ((Map<String, Object>) from).get("configMapRef");
      if (ref != null) {
        Map<String, Object> configMap = Repo.object(objects, "ConfigMap", (String) ref.get("name"));
        names.addAll(((Map<String, Object>) configMap.get("data")).keySet());
      }
    }
    for (Object item : (List<Object>) container.getOrDefault("env", List.of())) {
      names.add((String) ((Map<String, Object>) item).get("name"));
    }
    // read by the JVM and the image's entrypoint, not by a setting
    names.removeAll(Set.of("JDK_JAVA_OPTIONS", "JAVA_OPTS", "JAVA_TOOL_OPTIONS"));
    return names;
  }

  /** Quarkus' settings, {@code __NAME__} segments (map keys) matching any name. */
  private static List<Pattern> quarkusSettings() throws IOException {
    List<Pattern> patterns = new ArrayList<>();
    for (URL model :
        Collections.list(
            EnvironmentVariablesTest.class
                .getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"))) {
      String json;
      try (InputStream in = model.openStream()) {
        json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Matcher m = ENV_IN_MODEL.matcher(json);
      while (m.find()) {
        patterns.add(Pattern.compile(m.group(1).replaceAll("__[A-Z0-9_]+?__", "_[A-Z0-9_]+_")));
      }
    }
    assertThat(patterns).as("Quarkus settings found").hasSizeGreaterThan(500);
    return patterns;
  }

  /** Campus' settings, from every {@code @ConfigMapping} interface of the application. */
  private static List<Pattern> campusSettings() throws Exception {
    Path classes = Repo.ROOT.resolve("target/classes");
    List<Pattern> patterns = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes.resolve("io/campus"))) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    for (Path file : files) {
      String name =
          classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
      Class<?> type = Class.forName(name, false, EnvironmentVariablesTest.class.getClassLoader());
      ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
      if (mapping != null) {
        settings(type, mapping.prefix(), patterns);
      }
    }
    assertThat(patterns).as("Campus settings found").hasSizeGreaterThan(20);
    return patterns;
  }

  private static void settings(Class<?> group, String prefix, List<Pattern> into) {
    for (Method method : group.getMethods()) {
      if (method.getParameterCount() > 0 || method.isDefault() || method.isSynthetic()) {
        continue;
      }
      String property = prefix + "." + kebab(method.getName());
      Type type = method.getGenericReturnType();
      Class<?> raw = method.getReturnType();
      if (raw == Optional.class || raw == List.class) {
        type = ((ParameterizedType) type).getActualTypeArguments()[0];
        raw = type instanceof Class<?> c ? c : raw;
      }
      if (raw == Map.class) {
        Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
        if (value instanceof Class<?> c && c.isInterface()) {
          settings(c, property + ".*", into);
        } else {
          into.add(pattern(property + ".*"));
        }
      } else if (raw.isInterface() && raw.getName().startsWith("io.campus")) {
        settings(raw, property, into);
      } else {
        into.add(pattern(property));
      }
    }
  }

  private static Pattern pattern(String property) {
    return Pattern.compile(
        Stream.of(property.split("\\.\\*", -1))
            .map(part -> Pattern.quote(part.toUpperCase().replaceAll("[^A-Z0-9]", "_")))
            .reduce((a, b) -> a + "_[A-Z0-9_]+" + b)
            .orElseThrow());
  }

  private static String kebab(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }
}
