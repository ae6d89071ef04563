package io.campus.blackbox;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ERROR and WARN lines a service logged while starting, less the few third-party lines listed
 * here with the reason each is tolerated. Anything else is a problem of our own making.
 */
public final class StartupLog {

  private static final Pattern PROBLEM =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} +(ERROR|WARN) .*");

  /** Third-party lines that say nothing about Campus; each with why it is tolerated. */
  private static final List<Pattern> TOLERATED =
      List.of(
          // Quarkus's Micrometer binder for Vert.x registers a client's queue-size gauge for each
          // client metrics object (the SQL client's, and one per connection of the cache's Redis
          // client, which opens its two at start-up) under one name; Micrometer keeps the first
          // and warns once. The connections and the gauge's value are unaffected.
          Pattern.compile(
              ".*\\[io\\.micrometer\\.core\\.instrument\\.MeterRegistry\\].* This Gauge has been"
                  + " already registered \\(MeterId\\{name='(postgresql|campus-cache)\\.queue\\.size'.*"));

  private StartupLog() {}

  /** The ERROR and WARN lines among these that are not tolerated. */
  public static List<String> problems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    for (String line : lines) {
      if (PROBLEM.matcher(line).matches()
          && TOLERATED.stream().noneMatch(p -> p.matcher(line).matches())) {
        problems.add(line);
      }
    }
    return problems;
  }

  /** The lines up to the one saying the application started (all lines if none does). */
  public static List<String> untilStarted(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(") started in ")) {
        return lines.subList(0, i + 1);
      }
    }
    return lines;
  }
}
