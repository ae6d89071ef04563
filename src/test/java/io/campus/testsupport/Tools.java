package io.campus.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * External tools some checks need. A missing tool skips the check and says so, with the command
 * that installs it; a tool that is there and fails is the check's failure, never a skip.
 */
public final class Tools {

  private Tools() {}

  /** The tool's executable on PATH (or in the system directories), if installed. */
  public static Optional<Path> find(String tool) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.concat(
            Stream.of(path.split(File.pathSeparator)),
            List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin").stream())
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, tool))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The tool's executable; when it is missing, prints that the check is skipped and why, and aborts
   * the test as skipped.
   */
  public static Path require(String tool, String check, String install) {
    Optional<Path> found = find(tool);
    if (found.isEmpty()) {
      String message =
          "SKIPPED " + check + ": " + tool + " is not installed (install it: " + install + ")";
      System.out.println(message);
      Assumptions.abort(message);
    }
    return found.get();
  }
}
