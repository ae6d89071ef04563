package io.campus.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Progress side effects have one owner: only {@code io.campus.progress} writes a user's stats,
 * activity feed and achievements, and only it names activity types. Everyone else composes its
 * fragments into their own statements. A plain scan of the main sources, no Quarkus.
 */
class ProgressOwnershipTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"));
  private static final Path JAVA = ROOT.resolve("src/main/java");
  private static final Path RESOURCES = ROOT.resolve("src/main/resources");
  private static final Path OWNER = JAVA.resolve("io/campus/progress");
  // Statements of the progress package kept as resources (Sql.load) belong to it as well.
  private static final Path OWNER_SQL = RESOURCES.resolve("sql/progress");

  private static final String TABLES = "(activity_events|user_stats|user_achievements)";

  // Whitespace, line breaks and Java string concatenation ("... " + "...") between the words.
  private static final String GAP = "(?:\\s|\"\\s*\\+\\s*\")+";

  private static final Pattern WRITE =
      Pattern.compile(
          "\\b(?:insert"
              + GAP
              + "into|update|delete"
              + GAP
              + "from|merge"
              + GAP
              + "into|truncate(?:"
              + GAP
              + "table)?)"
              + GAP
              + "(?:only"
              + GAP
              + ")?(?:\\w+\\.)?\"?"
              + TABLES
              + "\\b",
          Pattern.CASE_INSENSITIVE);

  // An entity mapped on these tables would write them through the ORM.
  private static final Pattern MAPPED =
      Pattern.compile("@Table\\s*\\(\\s*name\\s*=\\s*\"" + TABLES + "\"", Pattern.CASE_INSENSITIVE);

  /**
   * Paths (relative to the project) allowed to write the tables anyway, with the reason. Applied
   * migrations are immutable (Flyway checksums them); V4's trigger adding the points of new awards
   * to user_stats is the award mechanism that {@link AwardSql} documents.
   */
  private static final Map<String, String> EXCEPTIONS =
      Map.of("src/main/resources/db/migration/", "applied migrations never change");

  @Test
  void onlyProgressWritesStatsActivityAndAchievements() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      String text = Files.readString(file);
      offenders.addAll(matches(file, text, WRITE));
      offenders.addAll(matches(file, text, MAPPED));
    }
    assertThat(offenders).as("statements writing %s outside io.campus.progress", TABLES).isEmpty();
  }

  @Test
  void activityTypesAreNamedOnlyThroughTheEnum() throws IOException {
    StringBuilder names = new StringBuilder();
    for (ActivityType type : ActivityType.values()) {
      names.append(names.isEmpty() ? "" : "|").append(type.name());
    }
    Pattern literal = Pattern.compile("'(?:" + names + ")'|\"(?:" + names + ")\"");
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      offenders.addAll(matches(file, Files.readString(file), literal));
    }
    assertThat(offenders).as("activity type literals outside io.campus.progress").isEmpty();
  }

  @Test
  void theScanFindsWritesInTheShapesTheSourcesUse() {
    Path file = Path.of("Example.java");
    String sources =
        """
        "update user_stats set current_streak = 0"
        insert into activity_events (user_id, type)
        "insert into " + "user_achievements (user_id)"
        DELETE
          FROM only public.user_stats where user_id = $1
        select * from user_stats; -- reading is fine
        on conflict (user_id) do update set points = 1
        """;
    assertThat(matches(file, sources, WRITE))
        .containsExactly(
            "Example.java:1: update user_stats",
            "Example.java:2: insert into activity_events",
            "Example.java:3: insert into \" + \"user_achievements",
            "Example.java:4: DELETE FROM only public.user_stats");
  }

  private static List<Path> sources() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> java = Files.walk(JAVA)) {
      java.filter(p -> p.toString().endsWith(".java") && !p.startsWith(OWNER)).forEach(files::add);
    }
    try (Stream<Path> sql = Files.walk(RESOURCES)) {
      sql.filter(p -> p.toString().endsWith(".sql") && !p.startsWith(OWNER_SQL) && !excepted(p))
          .forEach(files::add);
    }
    assertThat(files).as("main sources found").isNotEmpty();
    assertThat(files)
        .as("the statements in sql/ are scanned")
        .anyMatch(p -> p.startsWith(RESOURCES.resolve("sql")));
    return files;
  }

  private static boolean excepted(Path file) {
    String relative = ROOT.relativize(file).toString().replace('\\', '/');
    return EXCEPTIONS.keySet().stream().anyMatch(relative::startsWith);
  }

  private static List<String> matches(Path file, String text, Pattern pattern) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
      String where = file.isAbsolute() ? ROOT.relativize(file).toString() : file.toString();
      found.add(where + ":" + line + ": " + m.group().replaceAll("\\s+", " "));
    }
    return found;
  }
}
