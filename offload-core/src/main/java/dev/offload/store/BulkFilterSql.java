package dev.offload.store;

import dev.offload.bulk.BulkFilter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BulkFilter} as a condition on {@code tasks}, with the values it binds in order. Queue,
 * status and schedule are equalities that the indexes {@code tasks_by_queue_status}, {@code
 * tasks_by_queue}, {@code tasks_by_status} and {@code tasks_by_schedule_status} answer in id order;
 * the other fields are checked on the rows those select (or on every row below the bound when the
 * filter has none of the three).
 */
record BulkFilterSql(String condition, List<Object> values) {
  static BulkFilterSql of(BulkFilter filter, Dialect dialect) {
    List<String> parts = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    add(parts, values, "queue = ?", filter.queue());
    add(parts, values, "status = ?", filter.status() == null ? null : filter.status().wire());
    add(parts, values, "schedule_name = ?", filter.scheduleName());
    add(parts, values, "name = ?", filter.name());
    add(
        parts,
        values,
        "created_at > ?",
        filter.createdAfter() == null ? null : filter.createdAfter().toEpochMilli());
    add(
        parts,
        values,
        "created_at < ?",
        filter.createdBefore() == null ? null : filter.createdBefore().toEpochMilli());
    add(parts, values, dialect.containsText("last_error"), filter.lastErrorContains());
    if (filter.metadata() != null) {
      filter
          .metadata()
          .forEach(
              (key, value) -> {
                parts.add(dialect.jsonHasString("tasks.metadata"));
                values.add(key);
                values.add(value);
              });
    }
    return new BulkFilterSql(String.join(" AND ", parts), List.copyOf(values));
  }

  private static void add(List<String> parts, List<Object> values, String condition, Object value) {
    if (value == null) return;
    parts.add(condition);
    values.add(value);
  }

  /** Binds the values from parameter {@code first} on; returns the next parameter's index. */
  int bind(PreparedStatement s, int first) throws SQLException {
    int i = first;
    for (Object value : values) s.setObject(i++, value);
    return i;
  }
}
