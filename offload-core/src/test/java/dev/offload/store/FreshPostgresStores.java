package dev.offload.store;

import dev.offload.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;

/** Stores on the real PostgreSQL, each in a schema of its own, dropped together after a test. */
final class FreshPostgresStores {
  private final List<String> schemas = new ArrayList<>();

  JdbcStore open() {
    return JdbcStore.open(new PostgresDialect(freshSchema()));
  }

  /** The URL of a new, empty schema, for tests that open several stores on it. */
  String freshSchema() {
    String url = TestPostgres.freshSchemaUrl();
    schemas.add(url);
    return url;
  }

  void dropAll() {
    schemas.forEach(TestPostgres::dropSchema);
    schemas.clear();
  }
}
