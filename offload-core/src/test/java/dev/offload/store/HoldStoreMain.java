package dev.offload.store;

import java.nio.file.Path;

/**
 * Run as a separate JVM by {@link DataDirLockIT}: opens the SQLite store of a folder, says so, and
 * holds it until killed.
 */
public final class HoldStoreMain {
  private HoldStoreMain() {}

  public static void main(String[] args) throws Exception {
    try (JdbcStore store =
        JdbcStore.open(new SqliteDialect(Path.of(args[0]).resolve("offload.db"), false))) {
      System.out.println("open");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
