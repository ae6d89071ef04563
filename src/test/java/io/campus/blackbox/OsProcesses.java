package io.campus.blackbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Signals, process trees and ports, for tests that break the servers they started themselves. */
public final class OsProcesses {

  private OsProcesses() {}

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Sends a signal by name (STOP, CONT, TERM, KILL) to each pid, in the order given. */
  public static void signal(String signal, List<Long> pids) {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> command.add(Long.toString(p)));
    run(command, Duration.ofSeconds(10));
  }

  /** A process and all its descendants, parent first (so a STOP freezes the forker first). */
  public static List<Long> tree(long pid) {
    List<Long> out = new ArrayList<>();
    out.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> out.add(d.pid())));
    return out;
  }

  public static String run(List<String> command, Duration timeout) {
    return run(command, null, timeout);
  }

  /** Runs a command in a directory ({@code null}: this process's own) and returns its output. */
  public static String run(List<String> command, Path directory, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + process.exitValue() + " from " + command + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what + " after " + timeout);
      }
      sleep(50);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A fresh directory under the system temporary directory, which every user can reach (unlike a
   * checkout in a private folder), to hand to a server run as another user; delete it with {@link
   * #deleteTree}.
   */
  public static Path sharedTempDirectory(String name) {
    try {
      return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes a directory and everything in it, as far as this process may. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // what is left is inside the temporary directory
    }
  }

  /** A fresh directory under target/blackbox, kept after the run for its logs. */
  public static Path workDirectory(String name) {
    try {
      Path root = Path.of(System.getProperty("basedir", ".")).resolve("target/blackbox");
      Files.createDirectories(root);
      return Files.createTempDirectory(root, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
