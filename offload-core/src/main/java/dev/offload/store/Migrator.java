package dev.offload.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the migrations listed in {@code dev/offload/store/migrations/scripts.txt} in name order,
 * once each, recording them by name in {@code schema_version} ({@link SchemaVersions}). The list is
 * a file because a jar cannot be listed like a folder.
 *
 * <p>A migration is written once, in {@code common/}, where the dialects agree, with a part in the
 * dialect's folder ({@code sqlite/}, {@code postgres/}) where they differ: the common part runs
 * first, then the dialect's, in the one migration transaction. A migration may have either part
 * alone; one with neither for a dialect is not that dialect's and is neither run nor recorded there
 * (V011 changes a PostgreSQL trigger only).
 *
 * <p>Each part goes to the driver whole, never split on semicolons: sqlite-jdbc runs a script
 * through {@code sqlite3_exec} (only by {@code executeUpdate}; {@code execute} would run the first
 * statement and ignore the rest), and the PostgreSQL driver splits it itself, minding quotes,
 * comments and dollar-quoted function bodies.
 */
final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  static final String MIGRATIONS = "/dev/offload/store/migrations/";

  private Migrator() {}

  static void migrate(Database database) {
    migrate(database, MIGRATIONS);
  }

  /** Migrates with the scripts below {@code root}, a resource path ending in {@code /}. */
  static void migrate(Database database, String root) {
    String dialect = database.dialect().name();
    List<String> scripts = scripts(root, dialect);
    String lock = database.dialect().migrationLockStatement();
    database.write(
        "migrate schema",
        connection -> {
          try (Statement statement = connection.createStatement()) {
            if (lock != null) statement.execute(lock);
            statement.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL)");
          }
          for (String script :
              SchemaVersions.pending(scripts, SchemaVersions.recorded(connection))) {
            apply(connection, script, parts(root, dialect, script));
          }
          return null;
        });
  }

  /** The migrations below {@code root}, as listed. */
  static List<String> scripts(String root) {
    return List.of(resource(root + "scripts.txt").strip().split("\\s+"));
  }

  /**
   * The migrations below {@code root} that {@code dialect} runs, as listed: those with a part for
   * it.
   */
  static List<String> scripts(String root, String dialect) {
    return scripts(root).stream()
        .filter(script -> !parts(root, dialect, script).isEmpty())
        .toList();
  }

  /**
   * The parts of {@code script} for {@code dialect}, in the order they run: the common one, then
   * the dialect's.
   */
  static List<String> parts(String root, String dialect, String script) {
    return Stream.of(root + "common/" + script, root + dialect + "/" + script)
        .map(Migrator::optionalResource)
        .filter(Objects::nonNull)
        .toList();
  }

  private static void apply(Connection connection, String script, List<String> parts)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String part : parts) statement.executeUpdate(part);
      statement.executeUpdate(
          "INSERT INTO schema_version (version, script) VALUES ("
              + SchemaVersions.number(script)
              + ", '"
              + script
              + "')");
    }
    log.info("applied migration {}", script);
  }

  private static String resource(String path) {
    String text = optionalResource(path);
    if (text == null) throw new IllegalStateException("missing migration resource " + path);
    return text;
  }

  private static String optionalResource(String path) {
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
