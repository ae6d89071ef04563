package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Database resilience cannot be forgotten: every public {@code Uni}/{@code Multi} method of every
 * {@code *Repository}, and every Panache session or transaction boundary anywhere, is a guarded
 * unit by declaration ({@link DbRead} or {@link DbWrite}, exactly one), and nothing outside {@code
 * ops} wraps work in {@link DbGuard} by hand.
 */
class RepositoryResilienceTest {

  @Test
  void everyRepositoryMethodIsAReadOrAWriteUnit() throws Exception {
    List<String> problems = new ArrayList<>();
    List<Class<?>> repositories = classes().stream().filter(c -> isRepository(c)).toList();
    assertThat(repositories).as("repositories found").hasSizeGreaterThan(10);
    for (Class<?> repository : repositories) {
      for (Method method : repository.getDeclaredMethods()) {
        if (Modifier.isPublic(method.getModifiers())
            && !Modifier.isStatic(method.getModifiers())
            && !method.isSynthetic()
            && !method.isBridge()
            && isReactive(method)) {
          check(method, problems);
        }
      }
    }
    assertThat(problems).as("repository methods without exactly one of @DbRead/@DbWrite").isEmpty();
  }

  @Test
  void everyPanacheSessionOrTransactionIsAReadOrAWriteUnit() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : classes()) {
      for (Method method : type.getDeclaredMethods()) {
        if (method.isAnnotationPresent(WithTransaction.class)
            || method.isAnnotationPresent(WithSession.class)) {
          check(method, problems);
          if (method.isAnnotationPresent(WithTransaction.class)
              && method.isAnnotationPresent(DbRead.class)) {
            problems.add(name(method) + ": a transaction is a write unit (reads are retried)");
          }
        }
      }
    }
    assertThat(problems).as("Panache boundaries without exactly one of @DbRead/@DbWrite").isEmpty();
  }

  @Test
  void nothingOutsideOpsUsesTheGuardByHand() throws Exception {
    List<String> users = new ArrayList<>();
    Path root = classesRoot();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('\\', '/');
        if (name.startsWith("io/campus/platform/ops/")) {
          continue;
        }
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (bytes.contains("io/campus/platform/ops/DbGuard")) {
          users.add(name);
        }
      }
    }
    assertThat(users).as("classes calling DbGuard instead of declaring @DbRead/@DbWrite").isEmpty();
  }

  /**
   * A unit's lane must match the client it runs on: a pipelined unit admitted in the pool's lane
   * (or the other way round) would queue behind the wrong connections.
   */
  @Test
  void pipelinedUnitsRunOnTheirClientAndOthersOnThePool() throws IOException {
    record Unit(int start, boolean read, boolean pipelined) {}
    List<String> problems = new ArrayList<>();
    int pipelinedUnits = 0;
    Pattern declaration = Pattern.compile("(?m)^  @Db(Read|Write)(\\(pipelined = true\\))?$");
    Pattern reads = Pattern.compile("\\breads\\s*\\.\\s*preparedQuery");
    Pattern writes = Pattern.compile("\\bwrites\\s*\\.\\s*preparedQuery");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/campus"))) {
      for (Path file : files.filter(f -> f.toString().endsWith("Repository.java")).toList()) {
        String source = Files.readString(file);
        List<Unit> units = new ArrayList<>();
        Matcher m = declaration.matcher(source);
        while (m.find()) {
          units.add(new Unit(m.start(), m.group(1).equals("Read"), m.group(2) != null));
        }
        for (int i = 0; i < units.size(); i++) {
          Unit unit = units.get(i);
          pipelinedUnits += unit.pipelined() ? 1 : 0;
          // A unit's text runs to the next declaration: its method and the helpers after it.
          int end = i + 1 < units.size() ? units.get(i + 1).start() : source.length();
          String text = source.substring(unit.start(), end);
          String method =
              file.getFileName() + ": " + text.lines().skip(1).findFirst().orElse("").trim();
          boolean onReads = reads.matcher(text).find();
          boolean onWrites = writes.matcher(text).find();
          if (unit.pipelined() && !(unit.read() ? onReads && !onWrites : onWrites && !onReads)) {
            problems.add(
                method + ": pipelined, but not on Pipelined#" + (unit.read() ? "reads" : "writes"));
          } else if (!unit.pipelined() && (onReads || onWrites)) {
            problems.add(method + ": on a pipelined client, but admitted in the pool's lane");
          }
        }
      }
    }
    assertThat(pipelinedUnits).as("pipelined units found in the repositories").isPositive();
    assertThat(problems).isEmpty();
  }

  private static void check(Method method, List<String> problems) {
    boolean read = method.isAnnotationPresent(DbRead.class);
    boolean write = method.isAnnotationPresent(DbWrite.class);
    if (!read && !write) {
      problems.add(name(method) + ": neither @DbRead nor @DbWrite");
    } else if (read && write) {
      problems.add(name(method) + ": both @DbRead and @DbWrite");
    }
    Class<?> owner = method.getDeclaringClass();
    if (owner.isAnnotationPresent(DbRead.class) || owner.isAnnotationPresent(DbWrite.class)) {
      problems.add(owner.getName() + ": @DbRead/@DbWrite on a class adds to its methods' own");
    }
    if ((read || write) && Modifier.isPrivate(method.getModifiers())) {
      problems.add(name(method) + ": private, so never intercepted");
    }
  }

  private static boolean isRepository(Class<?> type) {
    return type.getSimpleName().endsWith("Repository")
        && !type.isInterface()
        && !type.isMemberClass();
  }

  private static boolean isReactive(Method method) {
    return Uni.class.isAssignableFrom(method.getReturnType())
        || Multi.class.isAssignableFrom(method.getReturnType());
  }

  private static String name(Method method) {
    return method.getDeclaringClass().getName() + "#" + method.getName();
  }

  /** Every top-level and nested class compiled from src/main under io.campus. */
  private static List<Class<?>> classes() throws IOException, URISyntaxException {
    Path root = classesRoot();
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("io/campus"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String name = root.relativize(file).toString().replace('\\', '/');
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        try {
          found.add(
              Class.forName(className, false, RepositoryResilienceTest.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
          throw new IllegalStateException("cannot load " + className, e);
        }
      }
    }
    return found;
  }

  /** The compiled main classes (target/classes), where DbGuard itself was loaded from. */
  private static Path classesRoot() throws URISyntaxException {
    return Path.of(DbGuard.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
