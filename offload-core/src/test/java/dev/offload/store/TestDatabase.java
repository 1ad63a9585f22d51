package dev.offload.store;

import dev.offload.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One empty database for one contract test: a SQLite file in a folder of its own, or a schema of
 * its own on the test PostgreSQL ({@link TestPostgres}). It is made when first used, so a missing
 * PostgreSQL skips or fails the test (as {@link TestPostgres} says) rather than its setup, and is
 * removed by {@link #close()}. A suite picks the dialect for all its areas with
 * {@code @ExtendWith(TestDatabase.OnSqlite.class)} or {@code OnPostgres}, which hand a fresh one to
 * any test method or {@code @BeforeEach} method that takes a {@code TestDatabase}.
 */
abstract class TestDatabase implements AutoCloseable {
  /** The JDBC URL of this database, for SQL run beside the store. */
  abstract String url();

  /**
   * A dialect on this database; several stores may be opened on it, one after another on SQLite.
   */
  abstract Dialect dialect();

  JdbcStore open(RetentionDefaults retention) {
    return JdbcStore.open(dialect(), retention);
  }

  JdbcStore open() {
    return open(RetentionDefaults.DEFAULT);
  }

  /** Runs {@code sql} on this database outside any store. */
  void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Hands a fresh database to every parameter of type {@code TestDatabase}. */
  private abstract static class Resolver implements ParameterResolver {
    abstract TestDatabase fresh();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return fresh();
    }
  }

  static final class OnSqlite extends Resolver {
    @Override
    TestDatabase fresh() {
      return new Sqlite();
    }
  }

  static final class OnPostgres extends Resolver {
    @Override
    TestDatabase fresh() {
      return new Postgres();
    }
  }

  private static final class Sqlite extends TestDatabase {
    private Path folder;

    private Path file() {
      if (folder == null) {
        try {
          folder = Files.createTempDirectory("offload-store-test");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return folder.resolve("offload.db");
    }

    @Override
    String url() {
      return "jdbc:sqlite:" + file();
    }

    @Override
    Dialect dialect() {
      return new SqliteDialect(file(), false);
    }

    @Override
    public void close() throws IOException {
      if (folder == null) return;
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
      }
    }
  }

  private static final class Postgres extends TestDatabase {
    private String url;

    @Override
    String url() {
      if (url == null) url = TestPostgres.freshSchemaUrl();
      return url;
    }

    @Override
    Dialect dialect() {
      return new PostgresDialect(url());
    }

    @Override
    public void close() {
      if (url != null) TestPostgres.dropSchema(url);
    }
  }
}
