package dev.offload.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code dev/offload/store/<dialect>/V###__*.sql} in name order, once each, recording them
 * by name in {@code schema_version} ({@link SchemaVersions}). Scripts are listed in {@code
 * migrations.txt} beside them because a jar cannot be listed like a folder.
 */
final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  private Migrator() {}

  static void migrate(Database database) {
    migrate(database, "/dev/offload/store/" + database.dialect().name() + "/");
  }

  /** Migrates with the scripts of {@code folder}, a resource path ending in {@code /}. */
  static void migrate(Database database, String folder) {
    List<String> scripts = List.of(resource(folder + "migrations.txt").strip().split("\\s+"));
    String lock = database.dialect().migrationLockStatement();
    database.write("migrate schema", connection -> {
      try (Statement statement = connection.createStatement()) {
        if (lock != null) statement.execute(lock);
        statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL)");
      }
      for (String script : SchemaVersions.pending(scripts, SchemaVersions.recorded(connection))) {
        apply(connection, SchemaVersions.number(script), script, resource(folder + script));
      }
      return null;
    });
  }

  private static void apply(Connection connection, int version, String script, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String part : SqlScript.statements(sql)) statement.execute(part);
      statement.execute("INSERT INTO schema_version (version, script) VALUES (" + version + ", '" + script + "')");
    }
    log.info("applied migration {}", script);
  }

  private static String resource(String path) {
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing migration resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
