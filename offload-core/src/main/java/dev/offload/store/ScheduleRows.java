package dev.offload.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.schedule.CatchUp;
import dev.offload.schedule.CronSpec;
import dev.offload.schedule.Overlap;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.schedule.TaskTemplateJson;
import dev.offload.task.TaskId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;

/**
 * Maps {@code schedules} rows; a definition's columns are compared as text to detect a no-op
 * upsert.
 */
final class ScheduleRows {
  static final String COLUMNS =
      "name, cron, timezone, task, paused, overlap, catch_up, created_at, updated_at,"
          + " next_run_at, last_run_at, last_task_id, version";
  private static final TaskTemplateJson TEMPLATES = new TaskTemplateJson(new ObjectMapper());

  /** The stored form of a definition, in column order from {@code cron} to {@code catch_up}. */
  record Definition(
      String cron, String timezone, String task, int paused, String overlap, String catchUp) {
    static Definition of(ScheduleDefinition d) {
      return new Definition(
          d.cron().text(),
          d.timezone().getId(),
          TEMPLATES.write(d.task()).toString(),
          d.paused() ? 1 : 0,
          d.overlap().wire(),
          d.catchUp().wire());
    }

    static Definition read(ResultSet row) throws SQLException {
      return new Definition(
          row.getString("cron"),
          row.getString("timezone"),
          row.getString("task"),
          row.getInt("paused"),
          row.getString("overlap"),
          row.getString("catch_up"));
    }

    /** Binds the six columns from {@code first} on. */
    void bind(PreparedStatement s, int first) throws SQLException {
      s.setString(first, cron);
      s.setString(first + 1, timezone);
      s.setString(first + 2, task);
      s.setInt(first + 3, paused);
      s.setString(first + 4, overlap);
      s.setString(first + 5, catchUp);
    }
  }

  private ScheduleRows() {}

  static Schedule schedule(ResultSet row) throws SQLException {
    Definition d = Definition.read(row);
    ZoneId zone = ZoneId.of(d.timezone());
    ScheduleDefinition definition =
        new ScheduleDefinition(
            row.getString("name"),
            CronSpec.parse(d.cron(), zone),
            zone,
            TEMPLATES.read(d.task()),
            d.paused() == 1,
            Overlap.fromWire(d.overlap()).orElseThrow(),
            CatchUp.fromWire(d.catchUp()).orElseThrow());
    String lastTask = row.getString("last_task_id");
    return new Schedule(
        definition,
        TaskRows.instant(row, "created_at"),
        TaskRows.instant(row, "updated_at"),
        TaskRows.instant(row, "next_run_at"),
        TaskRows.instant(row, "last_run_at"),
        lastTask == null ? null : new TaskId(lastTask),
        row.getLong("version"));
  }
}
