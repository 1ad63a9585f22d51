package dev.offload.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which migrations a database has, by script name: {@code schema_version} holds one row per applied
 * script, {@code version} being the number in its name ({@code V006__ready.sql} is 6). Scripts are
 * matched by name, not by how many there are, so a script added on a branch that merged after a
 * later one had been applied still runs.
 */
final class SchemaVersions {
  private static final Pattern NAME = Pattern.compile("V(\\d+)__[\\w-]+\\.sql");

  private SchemaVersions() {}

  static Set<String> recorded(Connection connection) throws SQLException {
    Set<String> scripts = new HashSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT script FROM schema_version")) {
      while (rows.next()) scripts.add(rows.getString(1));
    }
    return scripts;
  }

  /**
   * The scripts of {@code known} not yet {@code recorded}, in name order. Refuses a database that
   * has a script this code does not know: it was migrated by a newer version, whose schema this
   * code may misread or damage.
   */
  static List<String> pending(Collection<String> known, Set<String> recorded) {
    List<String> unknown =
        recorded.stream().filter(script -> !known.contains(script)).sorted().toList();
    if (!unknown.isEmpty())
      throw new SchemaTooNewException(unknown, newest(recorded), newest(known));
    return known.stream().filter(script -> !recorded.contains(script)).sorted().toList();
  }

  /** The number in a script's name. */
  static int number(String script) {
    Matcher name = NAME.matcher(script);
    if (!name.matches())
      throw new IllegalStateException(
          "migration " + script + " is not named V<number>__<name>.sql");
    return Integer.parseInt(name.group(1));
  }

  private static String newest(Collection<String> scripts) {
    return scripts.stream().max((a, b) -> Integer.compare(number(a), number(b))).orElse("none");
  }
}
