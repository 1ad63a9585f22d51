package dev.offload.store;

import java.util.List;

/**
 * The database holds migrations this code does not know: a newer Offload migrated it. Starting
 * anyway could misread or damage data the newer version wrote, so the store refuses to open.
 */
public final class SchemaTooNewException extends StoreException {
  private final List<String> unknownScripts;
  private final String databaseVersion;
  private final String codeVersion;

  SchemaTooNewException(List<String> unknownScripts, String databaseVersion, String codeVersion) {
    super(
        "the database schema is newer than this Offload: the database is at "
            + databaseVersion
            + ", this Offload knows migrations up to "
            + codeVersion
            + " (unknown here: "
            + String.join(", ", unknownScripts)
            + "). Run the newer Offload version that migrated it, or restore a backup taken before the upgrade.",
        null);
    this.unknownScripts = List.copyOf(unknownScripts);
    this.databaseVersion = databaseVersion;
    this.codeVersion = codeVersion;
  }

  /** The newest migration the database has. */
  public String databaseVersion() {
    return databaseVersion;
  }

  /** The newest migration this code knows. */
  public String codeVersion() {
    return codeVersion;
  }

  public List<String> unknownScripts() {
    return unknownScripts;
  }
}
