package dev.offload.store;

import static dev.offload.store.TaskRows.setMillis;

import dev.offload.schedule.FireResult;
import dev.offload.schedule.PutResult;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.store.ScheduleRows.Definition;
import dev.offload.task.NewTask;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable schedules. Every method is one transaction. A slot fires at most once per schedule
 * whatever the number of nodes: {@link #fire} records the slot under a unique (schedule, slot) key
 * in the transaction that creates its task.
 */
public final class ScheduleStore {
  private static final String SELECT = "SELECT " + ScheduleRows.COLUMNS + " FROM schedules";

  private final Database database;

  ScheduleStore(Database database) {
    this.database = database;
  }

  /**
   * Creates or replaces a schedule. Replacing it with an identical definition changes nothing (so
   * nodes upserting the same file at start-up agree); a new cron or time zone, or a resume, moves
   * {@code nextRunAt} to the first slot after {@code now}, otherwise it is kept.
   */
  public PutResult upsert(ScheduleDefinition definition, Instant now) {
    Definition wanted = Definition.of(definition);
    return database.write(
        "upsert schedule " + definition.name(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO schedules ("
                      + ScheduleRows.COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 1) ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, definition.name());
            wanted.bind(s, 2);
            s.setLong(8, now.toEpochMilli());
            s.setLong(9, now.toEpochMilli());
            setMillis(s, 10, definition.cron().nextAfter(now));
            if (s.executeUpdate() == 1)
              return new PutResult(locked(c, definition.name()).orElseThrow(), true);
          }
          Schedule stored = locked(c, definition.name()).orElseThrow();
          Definition before = Definition.of(stored.definition());
          if (before.equals(wanted)) return new PutResult(stored, false);
          boolean newSlots =
              !before.cron().equals(wanted.cron())
                  || !before.timezone().equals(wanted.timezone())
                  || before.paused() == 1 && wanted.paused() == 0;
          try (PreparedStatement s =
              c.prepareStatement(
                  """
          UPDATE schedules SET cron = ?, timezone = ?, task = ?, paused = ?, overlap = ?, catch_up = ?,
            updated_at = ?, next_run_at = ?, version = version + 1 WHERE name = ?""")) {
            wanted.bind(s, 1);
            s.setLong(7, now.toEpochMilli());
            setMillis(s, 8, newSlots ? definition.cron().nextAfter(now) : stored.nextRunAt());
            s.setString(9, definition.name());
            s.executeUpdate();
          }
          return new PutResult(locked(c, definition.name()).orElseThrow(), false);
        });
  }

  /** The row, locked until the transaction ends where the dialect locks rows. */
  private Optional<Schedule> locked(Connection c, String name) throws SQLException {
    return one(c, SELECT + " WHERE name = ?" + database.dialect().lockClause(), name);
  }

  private static Optional<Schedule> one(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, name);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? Optional.of(ScheduleRows.schedule(row)) : Optional.empty();
      }
    }
  }

  public Optional<Schedule> find(String name) {
    return database.read("find schedule", c -> one(c, SELECT + " WHERE name = ?", name));
  }

  /** Every schedule, by name. */
  public List<Schedule> list() {
    return database.read(
        "list schedules",
        c -> {
          try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY name")) {
            return schedules(s);
          }
        });
  }

  /** Deletes the schedule and its slot records; the tasks it created stay. */
  public boolean delete(String name) {
    return database.write(
        "delete schedule",
        c -> {
          try (PreparedStatement runs =
                  c.prepareStatement("DELETE FROM schedule_runs WHERE schedule_name = ?");
              PreparedStatement s = c.prepareStatement("DELETE FROM schedules WHERE name = ?")) {
            runs.setString(1, name);
            runs.executeUpdate();
            s.setString(1, name);
            return s.executeUpdate() == 1;
          }
        });
  }

  /**
   * Forgets the records of slots before {@code before} and returns how many. A slot fires only as a
   * schedule's {@code nextRunAt}, which never moves back to a fired slot, so a record is needed
   * only while its slot is recent.
   */
  public int pruneRuns(Instant before) {
    return database.write(
        "prune schedule runs",
        c -> {
          // One delete per schedule, so each walks the primary key (schedule_name, slot_at), not
          // the table.
          List<String> names = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement("SELECT name FROM schedules");
              ResultSet row = s.executeQuery()) {
            while (row.next()) names.add(row.getString(1));
          }
          int pruned = 0;
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM schedule_runs WHERE schedule_name = ? AND slot_at < ?")) {
            for (String name : names) {
              s.setString(1, name);
              s.setLong(2, before.toEpochMilli());
              pruned += s.executeUpdate();
            }
          }
          return pruned;
        });
  }

  /**
   * Pauses or resumes. A resumed schedule fires from the first slot after {@code now}: slots that
   * fell while it was paused are not caught up.
   */
  public Optional<Schedule> setPaused(String name, boolean paused, Instant now) {
    return database.write(
        "pause or resume schedule",
        c -> {
          Optional<Schedule> stored = locked(c, name);
          if (stored.isEmpty() || stored.get().definition().paused() == paused) return stored;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE schedules SET paused = ?, updated_at = ?, next_run_at = ?, version = version + 1 WHERE name = ?")) {
            s.setInt(1, paused ? 1 : 0);
            s.setLong(2, now.toEpochMilli());
            setMillis(
                s,
                3,
                paused
                    ? stored.get().nextRunAt()
                    : stored.get().definition().cron().nextAfter(now));
            s.setString(4, name);
            s.executeUpdate();
          }
          return locked(c, name);
        });
  }

  /** Unpaused schedules whose {@code nextRunAt} is at or before {@code now}, earliest first. */
  public List<Schedule> due(Instant now, int max) {
    return database.read(
        "find due schedules",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  SELECT + " WHERE paused = 0 AND next_run_at <= ? ORDER BY next_run_at LIMIT ?")) {
            s.setLong(1, now.toEpochMilli());
            s.setInt(2, max);
            return schedules(s);
          }
        });
  }

  /** The earliest {@code nextRunAt} of an unpaused schedule. */
  public Optional<Instant> nextRunAt() {
    return database.read(
        "find next schedule run",
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT next_run_at FROM schedules WHERE paused = 0 AND next_run_at IS NOT NULL ORDER BY next_run_at LIMIT 1");
              ResultSet row = s.executeQuery()) {
            return row.next()
                ? Optional.of(Instant.ofEpochMilli(row.getLong(1)))
                : Optional.empty();
          }
        });
  }

  /*
   * Why this is safe with many nodes: the first statement is a conditional update of the schedule
   * row, which PostgreSQL locks; a second node firing the same read blocks on that lock, then finds
   * next_run_at moved and changes nothing. The schedule_runs primary key backs this up: a slot
   * that is already recorded rolls the whole transaction back, task included.
   */
  /**
   * Fires {@code slot} of {@code schedule} as read (at its {@code version} and {@code nextRunAt})
   * and moves it to {@code nextRunAt}. Nothing happens when the stored schedule moved on meanwhile
   * (another node fired it, or it was changed).
   */
  public FireResult fire(Schedule schedule, Instant slot, Instant nextRunAt, Instant now) {
    return database.write(
        "fire schedule " + schedule.name(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE schedules SET next_run_at = ?"
                      + " WHERE name = ? AND version = ? AND paused = 0 AND next_run_at = ?")) {
            setMillis(s, 1, nextRunAt);
            s.setString(2, schedule.name());
            s.setLong(3, schedule.version());
            s.setLong(4, schedule.nextRunAt().toEpochMilli());
            if (s.executeUpdate() == 0) return new FireResult.Lost();
          }
          TaskId unfinished =
              schedule.definition().overlap() == dev.offload.schedule.Overlap.SKIP
                  ? unfinishedRun(c, schedule.name())
                  : null;
          NewTask task =
              unfinished == null ? schedule.definition().task().toTask(schedule.name()) : null;
          if (!recordSlot(c, schedule.name(), slot, task == null ? null : task.id(), now)) {
            c.rollback();
            return new FireResult.Lost();
          }
          if (task == null) return new FireResult.Skipped(unfinished);
          createRun(c, schedule.name(), task, slot, now);
          return new FireResult.Fired(task.id());
        });
  }

  private static TaskId unfinishedRun(Connection c, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT t.id, t.status FROM schedules s JOIN tasks t ON t.id = s.last_task_id WHERE s.name = ?")) {
      s.setString(1, name);
      try (ResultSet row = s.executeQuery()) {
        if (!row.next()) return null;
        boolean terminal =
            TaskStatus.fromWire(row.getString(2)).map(TaskStatus::isTerminal).orElse(true);
        return terminal ? null : new TaskId(row.getString(1));
      }
    }
  }

  private static boolean recordSlot(
      Connection c, String name, Instant slot, TaskId task, Instant now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO schedule_runs (schedule_name, slot_at, task_id, fired_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (schedule_name, slot_at) DO NOTHING")) {
      s.setString(1, name);
      s.setLong(2, slot.toEpochMilli());
      s.setString(3, task == null ? null : task.value());
      s.setLong(4, now.toEpochMilli());
      return s.executeUpdate() == 1;
    }
  }

  /** Creates the run's task and makes it the schedule's latest run. */
  private static void createRun(Connection c, String name, NewTask task, Instant runAt, Instant now)
      throws SQLException {
    new InsertBatch(c, now, Duration.ZERO, Set.of()).create(List.of(TaskBatch.of(task)));
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE schedules SET last_run_at = ?, last_task_id = ? WHERE name = ?")) {
      s.setLong(1, runAt.toEpochMilli());
      s.setString(2, task.id().value());
      s.setString(3, name);
      s.executeUpdate();
    }
  }

  /**
   * Moves a schedule read with {@code from} as its next run to {@code nextRunAt} without firing.
   */
  public boolean advance(String name, Instant from, Instant nextRunAt) {
    return database.write(
        "advance schedule",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE schedules SET next_run_at = ? WHERE name = ? AND next_run_at = ?")) {
            setMillis(s, 1, nextRunAt);
            s.setString(2, name);
            s.setLong(3, from.toEpochMilli());
            return s.executeUpdate() == 1;
          }
        });
  }

  /** Creates a run of the schedule now, outside its slots; empty if there is no such schedule. */
  public Optional<TaskId> trigger(String name, Instant now) {
    return database.write(
        "trigger schedule",
        c -> {
          Optional<Schedule> schedule = locked(c, name);
          if (schedule.isEmpty()) return Optional.empty();
          NewTask task = schedule.get().definition().task().toTask(name);
          createRun(c, name, task, now, now);
          return Optional.of(task.id());
        });
  }

  private static List<Schedule> schedules(PreparedStatement s) throws SQLException {
    List<Schedule> schedules = new ArrayList<>();
    try (ResultSet row = s.executeQuery()) {
      while (row.next()) schedules.add(ScheduleRows.schedule(row));
    }
    return schedules;
  }
}
