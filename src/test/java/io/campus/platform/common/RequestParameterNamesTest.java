package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A bad query, path or body parameter is reported under the Java parameter's name (Hibernate
 * Validator knows no other; {@link ProblemMapper} passes it on), so each must be named as clients
 * know it: {@code @QueryParam("q") String query} would answer a bad {@code q} with an error about
 * "query", and a missing body would be "request: must not be null".
 */
class RequestParameterNamesTest {

  @Test
  void everyParameterIsNamedAsClientsKnowIt() throws Exception {
    List<Class<?>> resources = resourceClasses();
    assertThat(resources).as("resource classes found").hasSizeGreaterThan(10);
    List<String> mismatches = new ArrayList<>();
    for (Class<?> resource : resources) {
      for (Method method : resource.getDeclaredMethods()) {
        for (Parameter parameter : method.getParameters()) {
          String wire = wireName(parameter);
          if (wire != null && !wire.equals(parameter.getName())) {
            mismatches.add(
                resource.getSimpleName()
                    + "."
                    + method.getName()
                    + ": \""
                    + wire
                    + "\" bound to "
                    + parameter.getName());
          }
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  /**
   * The name a client knows the parameter by; "body" for the request entity (the one parameter with
   * no JAX-RS annotation), so a missing body is reported as {@code body: must not be null}.
   */
  private static String wireName(Parameter parameter) {
    boolean jaxrs = false;
    for (Annotation a : parameter.getAnnotations()) {
      jaxrs |= a.annotationType().getPackageName().startsWith("jakarta.ws.rs");
      if (a instanceof QueryParam q) {
        return q.value();
      }
      if (a instanceof PathParam p) {
        return p.value();
      }
      if (a instanceof FormParam f) {
        return f.value();
      }
    }
    return jaxrs || !isEndpoint(parameter) ? null : "body";
  }

  private static boolean isEndpoint(Parameter parameter) {
    for (Annotation a : parameter.getDeclaringExecutable().getAnnotations()) {
      if (a.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class)) {
        return true;
      }
    }
    return false;
  }

  private static List<Class<?>> resourceClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    java.nio.file.Path root =
        Paths.get(ProblemMapper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> found = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.walk(root)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace(".class", "").replace('/', '.');
        Class<?> type = Class.forName(name, false, ProblemMapper.class.getClassLoader());
        if (type.isAnnotationPresent(Path.class)) {
          found.add(type);
        }
      }
    }
    return found;
  }
}
