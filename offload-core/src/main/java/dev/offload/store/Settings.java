package dev.offload.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Values kept across restarts in the {@code settings} table, shared by every node. */
public final class Settings {
  private final Database database;

  Settings(Database database) {
    this.database = database;
  }

  /**
   * The value of {@code name}, first stored as {@code initial} when it has none yet: the first
   * value is kept forever.
   */
  public String read(String name, String initial) {
    return database.write(
        "read setting " + name,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.setString(2, initial);
            insert.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet row = s.executeQuery()) {
              row.next();
              return row.getString(1);
            }
          }
        });
  }
}
