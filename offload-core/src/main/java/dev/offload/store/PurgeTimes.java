package dev.offload.store;

import dev.offload.task.Retention;

/**
 * The SQL that gives a task its {@code purge_at} as it becomes terminal: its finish time plus the
 * first retention set among the task's own ({@code retention_ms}), its queue's for that outcome,
 * and the server's default for that outcome; null when that retention is forever.
 *
 * <p>Every statement that makes a task terminal sets {@code purge_at} with this expression, in the
 * same statement (no trigger): the server defaults are flags of the running node, which a trigger
 * could not see, and the expression costs one primary-key lookup of the queue row. A queue's or the
 * server's retention applies to tasks that finish after it was set; tasks finished earlier keep the
 * purge time they got.
 */
final class PurgeTimes {
  private final long succeededMs;
  private final long failedMs;

  PurgeTimes(RetentionDefaults defaults) {
    this.succeededMs = Retention.toStored(defaults.succeeded());
    this.failedMs = Retention.toStored(defaults.failed());
  }

  /**
   * {@code purge_at} of a task updated in place. {@code finishedAt} is the SQL of its finish time
   * (a placeholder or a column; null gives null), {@code succeeded} the SQL condition of a
   * succeeded outcome; both appear in this order, {@code succeeded} twice. The defaults are
   * literals: they are fixed for the life of the store.
   */
  String expression(String finishedAt, String succeeded) {
    return """
        %1$s + NULLIF(COALESCE(retention_ms,
          (SELECT CASE WHEN %2$s THEN q.retain_succeeded_ms ELSE q.retain_failed_ms END FROM queues q WHERE q.name = tasks.queue),
          CASE WHEN %2$s THEN %3$d ELSE %4$d END), %5$d)"""
        .formatted(finishedAt, succeeded, succeededMs, failedMs, Retention.FOREVER_MS);
  }
}
