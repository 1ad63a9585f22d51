package dev.offload.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Values kept across restarts in the {@code settings} table. */
final class Settings {
  private Settings() {}

  /** The value of {@code name}, first stored as {@code initial} when it has none yet. */
  static String read(Connection c, String name, String initial) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
      insert.setString(1, name);
      insert.setString(2, initial);
      insert.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet row = s.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }
}
