package io.campus.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset the Campus
 * manifests use: {@code resources} (files and directories), {@code namespace}, {@code labels}
 * (metadata only), {@code images}, {@code configMapGenerator} (literals, create/merge, hash suffix
 * and name references) and strategic-merge {@code patches} by path. Anything else in a
 * kustomization fails the render rather than being ignored.
 */
final class Kustomize {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> SUPPORTED =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "namespace",
          "labels",
          "images",
          "configMapGenerator",
          "patches");

  /** Lists merged element by element (by this key) in a strategic merge; others are replaced. */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "env", "name",
          "volumes", "name",
          "volumeMounts", "mountPath",
          "envFrom", "",
          "ports", "");

  /** Generated ConfigMaps keep their plain name until the outermost render adds the hash. */
  private static final String GENERATED = "campus.deploy/generated";

  private Kustomize() {}

  /** The rendered objects of a kustomization directory, in resource order. */
  static List<Map<String, Object>> render(Path directory) {
    List<Map<String, Object>> objects = build(directory);
    Map<String, String> renamed = new LinkedHashMap<>();
    for (Map<String, Object> object : objects) {
      Map<String, Object> metadata = map(object, "metadata");
      if (metadata.get("annotations") instanceof Map<?, ?> annotations
          && annotations.remove(GENERATED) != null) {
        if (annotations.isEmpty()) {
          metadata.remove("annotations");
        }
        String name = (String) metadata.get("name");
        String hashed = name + "-" + configMapHash(map(object, "data"));
        metadata.put("name", hashed);
        renamed.put(name, hashed);
      }
    }
    for (Map<String, Object> object : objects) {
      podSpecs(object).forEach(spec -> renameConfigMapReferences(spec, renamed));
    }
    return objects;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> build(Path directory) {
    Map<String, Object> kustomization = readOne(directory.resolve("kustomization.yaml"));
    for (String key : kustomization.keySet()) {
      if (!SUPPORTED.contains(key)) {
        throw new IllegalArgumentException(
            directory + ": kustomization field '" + key + "' is not supported by this renderer");
      }
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object entry : list(kustomization, "resources")) {
      Path path = directory.resolve((String) entry).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(build(path));
      } else {
        objects.addAll(readAll(path));
      }
    }
    for (Object entry : list(kustomization, "configMapGenerator")) {
      generate(objects, (Map<String, Object>) entry, directory);
    }
    for (Object entry : list(kustomization, "patches")) {
      Map<String, Object> patch = (Map<String, Object>) entry;
      if (!Set.of("path").containsAll(patch.keySet())) {
        throw new IllegalArgumentException(directory + ": only patches by path are supported");
      }
      for (Map<String, Object> document : readAll(directory.resolve((String) patch.get("path")))) {
        Map<String, Object> target = find(objects, document);
        merge(target, document);
      }
    }
    String namespace = (String) kustomization.get("namespace");
    if (namespace != null) {
      objects.forEach(object -> map(object, "metadata").put("namespace", namespace));
    }
    for (Object entry : list(kustomization, "labels")) {
      Map<String, Object> labels = (Map<String, Object>) entry;
      if (!Set.of("pairs").containsAll(labels.keySet())) {
        throw new IllegalArgumentException(
            directory + ": labels support only 'pairs' (metadata labels, no selectors)");
      }
      Map<String, Object> pairs = (Map<String, Object>) labels.get("pairs");
      objects.forEach(object -> map(map(object, "metadata"), "labels").putAll(pairs));
    }
    for (Object entry : list(kustomization, "images")) {
      Map<String, Object> image = (Map<String, Object>) entry;
      objects.forEach(object -> podSpecs(object).forEach(spec -> setImage(spec, image)));
    }
    return objects;
  }

  @SuppressWarnings("unchecked")
  private static void generate(
      List<Map<String, Object>> objects, Map<String, Object> generator, Path directory) {
    if (!Set.of("name", "literals", "behavior").containsAll(generator.keySet())) {
      throw new IllegalArgumentException(
          directory + ": configMapGenerator supports name, literals and behavior only");
    }
    String name = (String) generator.get("name");
    Map<String, Object> data = new LinkedHashMap<>();
    for (Object literal : (List<Object>) generator.getOrDefault("literals", List.of())) {
      String text = (String) literal;
      int equals = text.indexOf('=');
      data.put(text.substring(0, equals), text.substring(equals + 1));
    }
    String behavior = (String) generator.getOrDefault("behavior", "create");
    if (behavior.equals("create")) {
      Map<String, Object> configMap = new LinkedHashMap<>();
      configMap.put("apiVersion", "v1");
      configMap.put("kind", "ConfigMap");
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("name", name);
      metadata.put("annotations", new LinkedHashMap<>(Map.of(GENERATED, "true")));
      configMap.put("metadata", metadata);
      configMap.put("data", data);
      objects.add(configMap);
    } else if (behavior.equals("merge")) {
      Map<String, Object> existing =
          find(objects, Map.of("kind", "ConfigMap", "metadata", Map.of("name", name)));
      map(existing, "data").putAll(data);
    } else {
      throw new IllegalArgumentException(directory + ": behavior " + behavior + " not supported");
    }
  }

  private static Map<String, Object> find(
      List<Map<String, Object>> objects, Map<String, Object> like) {
    String kind = (String) like.get("kind");
    Object name = ((Map<?, ?>) like.get("metadata")).get("name");
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No " + kind + " named " + name));
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> target, Map<String, Object> patch) {
    for (Map.Entry<String, Object> entry : patch.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.startsWith("$")) {
        throw new IllegalArgumentException("Patch directive " + key + " is not supported");
      }
      Object current = target.get(key);
      if (value == null) {
        target.remove(key);
      } else if (value instanceof Map<?, ?> patchMap && current instanceof Map<?, ?> currentMap) {
        merge((Map<String, Object>) currentMap, (Map<String, Object>) patchMap);
      } else if (value instanceof List<?> patchList
          && current instanceof List<?> currentList
          && MERGE_KEYS.containsKey(key)
          && !MERGE_KEYS.get(key).isEmpty()) {
        String mergeKey = MERGE_KEYS.get(key);
        List<Object> merged = new ArrayList<>((List<Object>) currentList);
        for (Object item : patchList) {
          Map<String, Object> patchItem = (Map<String, Object>) item;
          Map<String, Object> match =
              merged.stream()
                  .map(m -> (Map<String, Object>) m)
                  .filter(m -> patchItem.get(mergeKey).equals(m.get(mergeKey)))
                  .findFirst()
                  .orElse(null);
          if (match == null) {
            merged.add(patchItem);
          } else {
            merge(match, patchItem);
          }
        }
        target.put(key, merged);
      } else {
        target.put(key, value);
      }
    }
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

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (String field : List.of("initContainers", "containers")) {
      for (Object container : (List<Object>) podSpec.getOrDefault(field, List.of())) {
        all.add((Map<String, Object>) container);
      }
    }
    return all;
  }

  private static void setImage(Map<String, Object> podSpec, Map<String, Object> image) {
    if (!Set.of("name", "newName", "newTag", "digest").containsAll(image.keySet())) {
      throw new IllegalArgumentException("images support name, newName, newTag and digest");
    }
    for (Map<String, Object> container : containers(podSpec)) {
      String current = (String) container.get("image");
      String name = current.replaceFirst("@.*$", "").replaceFirst(":[^:/]*$", "");
      String tag = current.substring(name.length());
      if (!name.equals(image.get("name"))) {
        continue;
      }
      String newName = (String) image.getOrDefault("newName", name);
      if (image.get("digest") != null) {
        tag = "@" + image.get("digest");
      } else if (image.get("newTag") != null) {
        tag = ":" + image.get("newTag");
      }
      container.put("image", newName + tag);
    }
  }

  @SuppressWarnings("unchecked")
  private static void renameConfigMapReferences(
      Map<String, Object> podSpec, Map<String, String> renamed) {
    for (Map<String, Object> container : containers(podSpec)) {
      for (Object from : (List<Object>) container.getOrDefault("envFrom", List.of())) {
        rename(((Map<String, Object>) from).get("configMapRef"), renamed);
      }
      for (Object env : (List<Object>) container.getOrDefault("env", List.of())) {
        Object valueFrom = ((Map<String, Object>) env).get("valueFrom");
        if (valueFrom instanceof Map<?, ?> source) {
          rename(source.get("configMapKeyRef"), renamed);
        }
      }
    }
    for (Object volume : (List<Object>) podSpec.getOrDefault("volumes", List.of())) {
      rename(((Map<String, Object>) volume).get("configMap"), renamed);
    }
  }

  @SuppressWarnings("unchecked")
  private static void rename(Object reference, Map<String, String> renamed) {
    if (reference instanceof Map<?, ?> ref && renamed.containsKey(ref.get("name"))) {
      ((Map<String, Object>) ref).put("name", renamed.get(ref.get("name")));
    }
  }

  /**
   * kustomize's ConfigMap hash: SHA-256 of the JSON of {data, kind, name} with Go's map key order
   * and HTML escaping, where name is always empty (kustomize looks the name up under a path it
   * never finds), first ten hex digits with 0, 1, 3, a, e swapped for letters.
   */
  static String configMapHash(Map<String, Object> data) {
    Map<String, Object> encoded = new TreeMap<>();
    encoded.put("data", new TreeMap<>(data));
    encoded.put("kind", "ConfigMap");
    encoded.put("name", "");
    try {
      String json = goJson(JSON.writeValueAsString(encoded));
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      StringBuilder hash = new StringBuilder(HexFormat.of().formatHex(digest).substring(0, 10));
      for (int i = 0; i < hash.length(); i++) {
        char c = hash.charAt(i);
        hash.setCharAt(
            i,
            switch (c) {
              case '0' -> 'g';
              case '1' -> 'h';
              case '3' -> 'k';
              case 'a' -> 'm';
              case 'e' -> 't';
              default -> c;
            });
      }
      return hash.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Go's encoding/json escapes &lt;, &gt; and &amp; in strings. */
  private static String goJson(String json) {
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
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

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> parent, String key) {
    return (List<Object>) parent.getOrDefault(key, List.of());
  }
}
