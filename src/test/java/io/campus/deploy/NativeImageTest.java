package io.campus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campus.platform.cache.CacheSpec;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What a native executable needs registered: the value types the cache serialises into Redis with
 * Jackson (and fingerprints through record components), the generic type tokens, the migrations.
 */
class NativeImageTest {

  private static final Path CLASSES = Repo.ROOT.resolve("target/classes");
  private static final Path REFLECT_CONFIG =
      Repo.ROOT.resolve(
          "src/main/resources/META-INF/native-image/io.campus/campus/reflect-config.json");

  @Test
  void everyTypeCachedInRedisIsRegisteredForReflection() throws Exception {
    Map<String, Type> specs = new TreeMap<>();
    for (Class<?> type : campusClasses()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == CacheSpec.class) {
          specs.put(type.getName() + "." + field.getName(), field.getGenericType());
        }
      }
    }
    assertThat(specs).as("cache specs found").hasSizeGreaterThanOrEqualTo(9);
    Map<String, Set<String>> unregistered = new TreeMap<>();
    specs.forEach(
        (where, type) -> {
          Set<Class<?>> reachable = new java.util.LinkedHashSet<>();
          collect(type, reachable);
          assertThat(reachable).as(where).isNotEmpty();
          for (Class<?> c : reachable) {
            if (!c.isAnnotationPresent(RegisterForReflection.class)) {
              unregistered.computeIfAbsent(c.getName(), k -> new TreeSet<>()).add(where);
            }
          }
        });
    assertThat(unregistered)
        .as("records and enums cached without @RegisterForReflection")
        .isEmpty();
  }

  @Test
  void everyGenericTypeTokenIsInTheReflectionConfig() throws Exception {
    Set<String> tokens = new TreeSet<>();
    for (Class<?> type : campusClasses()) {
      if (type.isAnonymousClass() && TypeReference.class.isAssignableFrom(type)) {
        tokens.add(type.getName());
      }
    }
    assertThat(tokens).isNotEmpty();
    Set<String> registered = new TreeSet<>();
    for (JsonNode entry : new ObjectMapper().readTree(REFLECT_CONFIG.toFile())) {
      registered.add(entry.path("name").asText());
    }
    // TypeReference reads its generic superclass, which native images keep only for registered
    // classes; without it every generic cache lookup would fail at run time.
    assertThat(registered).containsExactlyInAnyOrderElementsOf(tokens);
  }

  @Test
  void packagingLeavesDevOnlyDependenciesOutAndKeepsTheMigrations() throws IOException {
    Properties app = Repo.applicationProperties();
    assertThat(app.getProperty("quarkus.package.jar.filter-optional-dependencies"))
        .isEqualTo("true");
    assertThat(app.getProperty("quarkus.native.resources.includes")).contains("db/migration/");
    assertThat(Repo.files(Repo.ROOT.resolve("src/main/resources/db/migration"), ".sql"))
        .isNotEmpty();
    String pom = Repo.read(Repo.ROOT.resolve("pom.xml"));
    String nativeProfile = pom.substring(pom.indexOf("<id>native</id>"));
    nativeProfile = nativeProfile.substring(0, nativeProfile.indexOf("</profile>"));
    // The dev-mode fallback (embedded PostgreSQL/Redis) must not be reachable in the executable.
    assertThat(nativeProfile)
        .contains("<exclude>META-INF/services/io.smallrye.config.ConfigSourceFactory</exclude>")
        .contains("<include>META-INF/services/io.smallrye.config.ConfigSourceFactory</include>");
    // ...and nothing else in main code refers to it.
    for (Path source : Repo.files(Repo.ROOT.resolve("src/main/java"), ".java")) {
      if (!source.toString().contains("/devsupport/")) {
        assertThat(Repo.read(source))
            .as(source.toString())
            .doesNotContain("io.campus.platform.devsupport");
      }
    }
  }

  private static void collect(Type type, Set<Class<?>> out) {
    if (type instanceof ParameterizedType p) {
      collect(p.getRawType(), out);
      for (Type arg : p.getActualTypeArguments()) {
        collect(arg, out);
      }
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        collect(bound, out);
      }
    } else if (type instanceof Class<?> c) {
      if (c.isArray()) {
        collect(c.getComponentType(), out);
      } else if (c.getName().startsWith("io.campus.") && (c.isRecord() || c.isEnum())) {
        if (out.add(c) && c.isRecord()) {
          for (RecordComponent component : c.getRecordComponents()) {
            collect(component.getGenericType(), out);
          }
        }
      }
    }
  }

  private static List<Class<?>> campusClasses() throws IOException, ClassNotFoundException {
    List<Class<?>> classes = new ArrayList<>();
    ClassLoader loader = NativeImageTest.class.getClassLoader();
    for (Path file : Repo.files(CLASSES.resolve("io/campus"), ".class")) {
      String name =
          CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
      if (!name.startsWith("io.campus.platform.devsupport.")) {
        classes.add(Class.forName(name, false, loader));
      }
    }
    return classes;
  }
}
