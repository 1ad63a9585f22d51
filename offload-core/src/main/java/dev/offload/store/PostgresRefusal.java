package dev.offload.store;

import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Why PostgreSQL refused the first connection, said for a person setting it up: the URL (without
 * its password), what is missing, and the command that makes it.
 */
final class PostgresRefusal {
  private PostgresRefusal() {}

  static String explain(String jdbcUrl, Throwable cause) {
    Properties parts = Driver.parseURL(jdbcUrl, null);
    String role = parts == null ? null : parts.getProperty("user", System.getProperty("user.name"));
    String database = parts == null ? "" : parts.getProperty("PGDBNAME", "");
    String host =
        parts == null
            ? ""
            : parts.getProperty("PGHOST", "") + ":" + parts.getProperty("PGPORT", "5432");
    String said =
        cause == null || cause.getMessage() == null
            ? "no answer"
            : cause.getMessage().lines().findFirst().orElse("");
    String state =
        cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
    String what =
        switch (state) {
          case "28000" ->
              said.contains("does not exist")
                  ? "the role "
                      + role
                      + " does not exist. Create it, as a PostgreSQL superuser: "
                      + "sudo -u postgres psql -c \"CREATE ROLE "
                      + role
                      + " LOGIN PASSWORD 'secret'\""
                  : "the role " + role + " may not connect: " + said + " (see pg_hba.conf)";
          case "28P01" ->
              "password authentication failed for the role "
                  + role
                  + ": put its password in the URL, or set it: sudo -u postgres psql -c \"ALTER ROLE "
                  + role
                  + " PASSWORD 'secret'\"";
          case "3D000" ->
              "the database "
                  + database
                  + " does not exist. Create it, owned by "
                  + (role == null ? "the role Offload connects as" : role)
                  + ": sudo -u postgres createdb --owner "
                  + (role == null ? "ROLE" : role)
                  + " "
                  + database;
          case "08001", "08004", "08006" ->
              "nothing accepted the connection at "
                  + host
                  + " ("
                  + said
                  + "): is PostgreSQL running? Try: pg_isready -h "
                  + host.replace(":", " -p ");
          default -> said;
        };
    return "cannot connect to PostgreSQL at " + PostgresDialect.redact(jdbcUrl) + ": " + what;
  }
}
