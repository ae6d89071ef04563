package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cross-references of the Terraform configuration, read with HashiCorp's own HCL parser
 * (@cdktf/hcl2json): every module argument is a declared input and every required input is passed,
 * every {@code module.x.y} names an output that exists, every variable is used.
 */
class TerraformReferencesTest {

  private static final Set<String> META_ARGUMENTS =
      Set.of("source", "version", "depends_on", "count", "for_each", "providers");

  private static final Pattern MODULE_REF =
      Pattern.compile("\\bmodule\\.([a-z0-9_]+)\\.([a-z0-9_]+)");
  private static final Pattern VAR_REF = Pattern.compile("\\bvar\\.([a-z0-9_]+)");

  @Test
  void everyModuleInputIsDeclaredPassedAndEveryReferencedOutputExists() throws IOException {
    Map<Path, JsonNode> dirs = parseAll();
    List<String> problems = new ArrayList<>();
    dirs.forEach(
        (dir, config) -> {
          Map<String, JsonNode> modules = blocks(config, "module");
          modules.forEach(
              (name, module) -> {
                String source = module.path("source").asText();
                if (!source.startsWith("../")) {
                  return; // registry modules are checked by terraform init
                }
                JsonNode callee = dirs.get(dir.resolve(source).normalize());
                if (callee == null) {
                  problems.add(dir + ": module " + name + " source " + source + " not found");
                  return;
                }
                Map<String, JsonNode> inputs = blocks(callee, "variable");
                module
                    .fieldNames()
                    .forEachRemaining(
                        arg -> {
                          if (!META_ARGUMENTS.contains(arg) && !inputs.containsKey(arg)) {
                            problems.add(dir + ": module " + name + " passes undeclared " + arg);
                          }
                        });
                inputs.forEach(
                    (input, body) -> {
                      if (!body.has("default") && !module.has(input)) {
                        problems.add(dir + ": module " + name + " misses required " + input);
                      }
                    });
              });
          Matcher refs = MODULE_REF.matcher(config.toString());
          while (refs.find()) {
            JsonNode module = modules.get(refs.group(1));
            if (module == null) {
              problems.add(dir + ": module." + refs.group(1) + " is not declared");
              continue;
            }
            String source = module.path("source").asText();
            if (source.startsWith("../")) {
              JsonNode callee = dirs.get(dir.resolve(source).normalize());
              if (callee != null && !blocks(callee, "output").containsKey(refs.group(2))) {
                problems.add(
                    dir + ": module." + refs.group(1) + "." + refs.group(2) + " is no output");
              }
            }
          }
          Set<String> used = new TreeSet<>();
          Matcher vars = VAR_REF.matcher(config.toString());
          while (vars.find()) {
            used.add(vars.group(1));
          }
          for (String variable : blocks(config, "variable").keySet()) {
            if (!used.contains(variable)) {
              problems.add(dir + ": variable " + variable + " is never used");
            }
          }
          for (String variable : used) {
            if (!blocks(config, "variable").containsKey(variable)) {
              problems.add(dir + ": var." + variable + " is not declared");
            }
          }
        });
    assertThat(problems).isEmpty();
    assertThat(dirs).hasSizeGreaterThanOrEqualTo(7);
  }

  /** Each module directory (and the root) as one merged JSON document of all its .tf files. */
  private static Map<Path, JsonNode> parseAll() throws IOException {
    List<Path> files = Repo.files(Repo.TERRAFORM, ".tf");
    Repo.Run run =
        NodeTools.run(
            "HCL cross-references",
            "hcl2json.mjs",
            files.stream().map(Path::toString).toArray(String[]::new));
    assertThat(run.exit()).as(run.output()).isZero();
    String json = run.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode parsed = new ObjectMapper().readTree(json);
    Map<Path, JsonNode> byDir = new TreeMap<>();
    for (Path file : files) {
      JsonNode config = parsed.get(file.toString());
      assertThat(config).as(file + " parsed").isNotNull();
      byDir.merge(
          file.getParent(),
          config,
          (a, b) -> {
            com.fasterxml.jackson.databind.node.ObjectNode merged =
                ((com.fasterxml.jackson.databind.node.ObjectNode) a).deepCopy();
            b.fields()
                .forEachRemaining(
                    e -> {
                      if (merged.has(e.getKey()) && merged.get(e.getKey()).isObject()) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) merged.get(e.getKey()))
                            .setAll((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue());
                      } else {
                        merged.set(e.getKey(), e.getValue());
                      }
                    });
            return merged;
          });
    }
    return byDir;
  }

  /** Blocks of one type by label; hcl2json gives each labelled block as a one-element list. */
  private static Map<String, JsonNode> blocks(JsonNode config, String type) {
    Map<String, JsonNode> result = new LinkedHashMap<>();
    config
        .path(type)
        .fields()
        .forEachRemaining(
            e ->
                result.put(
                    e.getKey(), e.getValue().isArray() ? e.getValue().get(0) : e.getValue()));
    return result;
  }
}
