package dev.offload.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL for tests: {@code OFFLOAD_TEST_PG_URL} (default the local {@code test}
 * database). Each caller gets a schema of its own so tests never see each other's rows. When the
 * database is unreachable a test is skipped on a laptop and fails in CI ({@code CI=true}).
 */
public final class TestPostgres {
  public static final String URL = System.getenv().getOrDefault(
      "OFFLOAD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=root");

  private TestPostgres() {}

  /** Creates an empty schema and returns a URL whose connections use it. */
  public static String freshSchemaUrl() {
    String schema = "offload_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String message = "PostgreSQL at " + URL + " is unreachable: " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + " (CI must run these tests)", e);
      Assumptions.abort(message + " (skipped outside CI)");
    }
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Drops the schema of a URL made by {@link #freshSchemaUrl()}. */
  public static void dropSchema(String schemaUrl) {
    String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
    try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // a schema left behind is harmless and has a unique name
    }
  }
}
