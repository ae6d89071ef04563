package io.campus.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a kustomization with the real {@code kubectl kustomize} (checks that need it are skipped,
 * with a printed reason, where kubectl is missing; a render that fails fails the check) and reads
 * YAML documents.
 */
final class Kustomize {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

  private Kustomize() {}

  /** The rendered objects of a kustomization directory, in kubectl's output order. */
  static List<Map<String, Object>> render(Path directory) {
    return parseAll(renderText(directory));
  }

  /**
   * The YAML {@code kubectl kustomize} prints for a directory (cached: the files do not change).
   */
  static String renderText(Path directory) {
    Path kubectl =
        Tools.require("kubectl", "Kustomize render of " + Repo.ROOT.relativize(directory));
    return RENDERED.computeIfAbsent(
        directory,
        dir -> {
          Repo.Run run = Repo.run(Repo.ROOT, kubectl.toString(), "kustomize", dir.toString());
          if (run.exit() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + run.output());
          }
          return run.output();
        });
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> podSpecs(Map<String, Object> object) {
    Object spec = object.get("spec");
    if (!(spec instanceof Map<?, ?> specMap) || !(specMap.get("template") instanceof Map<?, ?>)) {
      return List.of();
    }
    Map<String, Object> template = (Map<String, Object>) specMap.get("template");
    return template.get("spec") instanceof Map<?, ?> podSpec
        ? List.of((Map<String, Object>) podSpec)
        : List.of();
  }

  static Map<String, Object> readOne(Path file) {
    List<Map<String, Object>> all = readAll(file);
    if (all.size() != 1) {
      throw new IllegalArgumentException(file + " must hold exactly one document");
    }
    return all.get(0);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> readAll(Path file) {
    try (YAMLParser parser =
        (YAMLParser)
            YAML.getFactory().createParser(Files.readString(file, StandardCharsets.UTF_8))) {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (var it = YAML.readValues(parser, Map.class); it.hasNext(); ) {
        Map<String, Object> document = it.next();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Parses the output of {@code kubectl kustomize} (multi-document YAML). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parseAll(String yaml) {
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (var it = YAML.readValues(parser, Map.class); it.hasNext(); ) {
        Map<String, Object> document = it.next();
        if (document != null) {
          documents.add(document);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
  }
}
