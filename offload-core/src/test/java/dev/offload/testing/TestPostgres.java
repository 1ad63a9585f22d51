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
 * database is unreachable a test is skipped on a laptop, with a message that says how to start it,
 * and fails in CI ({@code CI=true}).
 */
public final class TestPostgres {
  public static final String URL =
      System.getenv()
          .getOrDefault("OFFLOAD_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=root");

  private TestPostgres() {}

  /**
   * How to get the PostgreSQL these tests expect, for the message of a test that cannot reach it.
   * The CI starts the machine's own server ({@code .ci/run}).
   */
  private static final String HOW_TO_START =
      "start PostgreSQL on 127.0.0.1:5432 with a database 'test' that user 'root' may use"
          + " without a password, for example: docker run -d -p 127.0.0.1:5432:5432 -e POSTGRES_USER=root -e POSTGRES_DB=test"
          + " -e POSTGRES_HOST_AUTH_METHOD=trust postgres; or point OFFLOAD_TEST_PG_URL at another database";

  /** Why PostgreSQL was unreachable the first time, so later tests do not wait for it again. */
  private static volatile String unreachable;

  /**
   * Creates an empty schema and returns a URL whose connections use it. When PostgreSQL cannot be
   * reached the test is skipped, saying how to start it, or fails when {@code CI=true}.
   */
  public static String freshSchemaUrl() {
    String schema =
        "offload_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    if (unreachable == null) {
      try (Connection connection = DriverManager.getConnection(URL);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      } catch (SQLException e) {
        unreachable = e.getMessage();
        // once on the console, where a skip's reason does not show
        System.err.println(
            "WARNING: the PostgreSQL tests are skipped: "
                + URL
                + " is unreachable ("
                + unreachable
                + "); "
                + HOW_TO_START);
      }
    }
    String message =
        "this test needs PostgreSQL, and "
            + URL
            + " is unreachable ("
            + unreachable
            + "): "
            + HOW_TO_START;
    if ("true".equals(System.getenv("CI")))
      throw new IllegalStateException(message + ". CI=true: failing rather than skipping.");
    return Assumptions.abort(message + ". Skipped (with CI=true it fails).");
  }

  /** Drops the schema of a URL made by {@link #freshSchemaUrl()}. */
  public static void dropSchema(String schemaUrl) {
    String schema =
        schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
    try (Connection connection = DriverManager.getConnection(URL);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // a schema left behind is harmless and has a unique name
    }
  }
}
