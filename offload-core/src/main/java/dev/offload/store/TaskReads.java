package dev.offload.store;

import dev.offload.task.Attempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskPage;
import dev.offload.task.TaskQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tasks and their attempts as stored: one task, a page of a listing, an attempt history. */
public final class TaskReads {
  private final Database database;

  TaskReads(Database database) {
    this.database = database;
  }

  public Optional<Task> find(TaskId id) {
    return database.read("find task", c -> TaskRows.find(c, id));
  }

  /** A page of tasks, newest first, filtered as {@code query} says. */
  public TaskPage list(TaskQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (query.queue() != null) {
      sql.append(" AND queue = ?");
      args.add(query.queue());
    }
    if (query.status() != null) {
      sql.append(" AND status = ?");
      args.add(query.status().wire());
    }
    if (query.scheduleName() != null) {
      sql.append(" AND schedule_name = ?");
      args.add(query.scheduleName());
    }
    if (query.before() != null) {
      sql.append(" AND id < ?");
      args.add(query.before().value());
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(query.limit() + 1);
    List<Task> tasks =
        database.read(
            "list tasks",
            c -> {
              try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) s.setString(i + 1, args.get(i));
                return TaskRows.list(s);
              }
            });
    if (tasks.size() <= query.limit()) return new TaskPage(tasks, null);
    List<Task> page = tasks.subList(0, query.limit());
    return new TaskPage(List.copyOf(page), page.getLast().id());
  }

  /** The recorded attempts of a task, first first. */
  public List<Attempt> attempts(TaskId id) {
    return database.read(
        "list attempts",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + TaskRows.ATTEMPT_COLUMNS
                      + " FROM attempts WHERE task_id = ? ORDER BY number")) {
            s.setString(1, id.value());
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
              while (row.next()) attempts.add(TaskRows.attempt(row));
            }
            return attempts;
          }
        });
  }
}
