package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema bookkeeping on a real SQLite file: migrations are recorded and matched by name. */
class MigratorTest {
  /**
   * V001 creates table one; V002 table two referencing one and a trigger on two (common part), then
   * inserts into two (SQLite part); V003 an index on two (SQLite part only). Listed as V001, V003,
   * V002.
   */
  private static final String SCRIPTS = "/dev/offload/store/migratortest/";

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("offload.db");
  }

  @Test
  void a_database_migrated_by_a_newer_offload_is_refused_naming_both_versions() throws Exception {
    JdbcStore.open(new SqliteDialect(file(), false)).close();
    execute(
        "INSERT INTO schema_version (version, script) VALUES (999, 'V999__from_a_newer_offload.sql')");

    assertThatThrownBy(() -> JdbcStore.open(new SqliteDialect(file(), false)))
        .isInstanceOf(SchemaTooNewException.class)
        .hasMessageContaining("V999__from_a_newer_offload.sql")
        .hasMessageContaining(newestShippedScript())
        .satisfies(
            e -> {
              SchemaTooNewException refused = (SchemaTooNewException) e;
              assertThat(refused.databaseVersion()).isEqualTo("V999__from_a_newer_offload.sql");
              assertThat(refused.codeVersion()).isEqualTo(newestShippedScript());
            });
  }

  @Test
  void a_script_that_is_not_recorded_runs_even_when_a_later_one_already_did() throws Exception {
    // As when a database was migrated by a build that had V001 and V003 but not yet V002.
    execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL)");
    execute("CREATE TABLE one (id INTEGER PRIMARY KEY)");
    execute(
        "INSERT INTO schema_version (version, script) VALUES (1, 'V001__first.sql'), (3, 'V003__third.sql')");

    migrateWithTestScripts();

    assertThat(query("SELECT version || ' ' || script FROM schema_version ORDER BY version"))
        .containsExactly("1 V001__first.sql", "2 V002__second.sql", "3 V003__third.sql");
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'two'"))
        .containsExactly("two");
  }

  @Test
  void scripts_run_in_name_order_whatever_their_order_in_the_list() throws Exception {
    migrateWithTestScripts();

    assertThat(
            query(
                "SELECT name FROM sqlite_master WHERE name IN ('one', 'two', 'two_by_one') ORDER BY name"))
        .containsExactly("one", "two", "two_by_one");
    migrateWithTestScripts();
    assertThat(query("SELECT COUNT(*) FROM schema_version")).containsExactly("3");
  }

  @Test
  void a_migration_runs_its_common_part_then_its_dialect_part_each_whole() throws Exception {
    migrateWithTestScripts();

    assertThat(query("SELECT text FROM notes ORDER BY rowid"))
        .containsExactly("two; inserted", "the dialect part; after the common part");
  }

  @Test
  void every_shipped_migration_has_a_script_for_some_dialect_and_sqlite_skips_only_postgres_ones() {
    List<String> listed = Migrator.scripts(Migrator.MIGRATIONS);
    List<String> sqlite = Migrator.scripts(Migrator.MIGRATIONS, "sqlite");
    List<String> postgres = Migrator.scripts(Migrator.MIGRATIONS, "postgres");

    assertThat(listed)
        .as("a listed name with no file anywhere is misspelt")
        .allMatch(s -> sqlite.contains(s) || postgres.contains(s));
    assertThat(postgres).containsExactlyElementsOf(listed);
    assertThat(sqlite)
        .containsExactlyElementsOf(
            listed.stream().filter(s -> !s.equals("V011__counts_early_exit.sql")).toList());
  }

  private void migrateWithTestScripts() throws Exception {
    try (Database database = new Database(new SqliteDialect(file(), false))) {
      Migrator.migrate(database, SCRIPTS);
    }
  }

  private static String newestShippedScript() {
    return Migrator.scripts(Migrator.MIGRATIONS, "sqlite").getLast();
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) values.add(rows.getString(1));
      return values;
    }
  }
}
