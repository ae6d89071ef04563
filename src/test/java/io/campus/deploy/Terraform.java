package io.campus.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The blocks of one Terraform module directory, parsed with hcl4j and merged across its files. */
final class Terraform {

  // hcl4j logs an ERROR for every index into a variable (var.zones[0]), which it cannot evaluate
  // statically; the parse itself is complete. Held here so the level is not garbage-collected.
  private static final java.util.logging.Logger HCL4J_LOG = quietHcl4j();

  private static java.util.logging.Logger quietHcl4j() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(HCLParser.class.getName());
    logger.setLevel(java.util.logging.Level.OFF);
    return logger;
  }

  private final Path directory;
  private final Map<String, Map<String, Object>> blocks = new LinkedHashMap<>();
  private final Map<String, Object> values;

  Terraform(Path directory) {
    this(directory, Map.of());
  }

  /** The root configuration as one environment applies it: {@code var.x} reads its tfvars first. */
  static Terraform environment(String name) {
    return new Terraform(ROOT, parse(tfvars(name)));
  }

  static final Path ROOT = Repo.TERRAFORM.resolve("campus");

  static Path tfvars(String environment) {
    return Repo.TERRAFORM.resolve("environments").resolve(environment + ".tfvars");
  }

  @SuppressWarnings("unchecked")
  private Terraform(Path directory, Map<String, Object> values) {
    this.directory = directory;
    this.values = values;
    for (Path file : tfFiles(directory)) {
      Map<String, Object> parsed = parse(file);
      parsed.forEach(
          (type, body) -> {
            if (body instanceof Map<?, ?> map) {
              blocks
                  .computeIfAbsent(type, k -> new LinkedHashMap<>())
                  .putAll((Map<String, Object>) map);
            }
          });
    }
  }

  static List<Path> tfFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".tf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> parse(Path file) {
    try {
      return new HCLParser().parse(file.toFile(), "UTF-8");
    } catch (Exception e) {
      throw new AssertionError("hcl4j cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  Path directory() {
    return directory;
  }

  /** Blocks of a type keyed by label: {@code variable}, {@code module}, {@code output}... */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> all(String type) {
    Map<String, Map<String, Object>> result = new LinkedHashMap<>();
    blocks.getOrDefault(type, Map.of()).forEach((k, v) -> result.put(k, (Map<String, Object>) v));
    return result;
  }

  /** Resources of one type keyed by name. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> resources(String type) {
    Map<String, Map<String, Object>> result = new LinkedHashMap<>();
    Object byName = blocks.getOrDefault("resource", Map.of()).get(type);
    if (byName instanceof Map<?, ?> map) {
      map.forEach((k, v) -> result.put((String) k, (Map<String, Object>) v));
    }
    return result;
  }

  /**
   * A number given literally, or through {@code var.x} resolved to the environment's value or else
   * that variable's default.
   */
  double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    String text = String.valueOf(value);
    if (text.startsWith("var.")) {
      String name = text.substring(4);
      Map<String, Object> variable = all("variable").get(name);
      Object resolved =
          values.containsKey(name) || variable == null ? values.get(name) : variable.get("default");
      if (!(resolved instanceof Number n)) {
        throw new AssertionError(directory + ": " + text + " has no numeric value");
      }
      return n.doubleValue();
    }
    throw new AssertionError(directory + ": cannot read a number from " + text);
  }

  /** The source text of one block, e.g. {@code block("resource \"aws_lb\" \"this\"")}. */
  String block(String header) {
    for (Path file : tfFiles(directory)) {
      String text = Repo.read(file);
      int start = text.indexOf(header + " {");
      if (start >= 0) {
        int depth = 0;
        for (int i = text.indexOf('{', start); i < text.length(); i++) {
          char c = text.charAt(i);
          if (c == '{') {
            depth++;
          } else if (c == '}' && --depth == 0) {
            return text.substring(start, i + 1);
          }
        }
      }
    }
    throw new AssertionError(directory + " has no block " + header);
  }

  /** Whether a block with this header exists. */
  boolean has(String header) {
    return tfFiles(directory).stream().anyMatch(f -> Repo.read(f).contains(header + " {"));
  }

  /** A module directory under terraform/modules. */
  static Terraform module(String name) {
    return new Terraform(Repo.TERRAFORM.resolve("modules").resolve(name));
  }
}
