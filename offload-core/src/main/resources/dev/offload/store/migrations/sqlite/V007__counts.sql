-- shard is always 0 here (SQLite has one writer); PostgreSQL spreads writers over shards.
INSERT INTO task_counts (queue, status, shard, n) SELECT queue, status, 0, COUNT(*) FROM tasks GROUP BY queue, status;

INSERT INTO queue_minutes (queue, minute, shard, created)
  SELECT queue, created_at - created_at % 60000, 0, COUNT(*) FROM tasks GROUP BY 1, 2;

INSERT INTO queue_minutes (queue, minute, shard, succeeded, failed, cancelled)
  SELECT queue, finished_at - finished_at % 60000, 0, SUM(status = 'succeeded'), SUM(status = 'failed'), SUM(status = 'cancelled')
  FROM tasks WHERE finished_at IS NOT NULL AND status IN ('succeeded', 'failed', 'cancelled') GROUP BY 1, 2
  ON CONFLICT (queue, minute, shard) DO UPDATE SET succeeded = excluded.succeeded, failed = excluded.failed,
    cancelled = excluded.cancelled;

CREATE TRIGGER tasks_counted_on_insert AFTER INSERT ON tasks
BEGIN
  INSERT INTO task_counts (queue, status, shard, n) VALUES (new.queue, new.status, 0, 1)
    ON CONFLICT (queue, status, shard) DO UPDATE SET n = n + 1;
  INSERT INTO queue_minutes (queue, minute, shard, created) VALUES (new.queue, new.created_at - new.created_at % 60000, 0, 1)
    ON CONFLICT (queue, minute, shard) DO UPDATE SET created = created + 1;
END;

CREATE TRIGGER tasks_counted_on_status AFTER UPDATE OF status ON tasks WHEN old.status IS NOT new.status
BEGIN
  UPDATE task_counts SET n = n - 1 WHERE queue = old.queue AND status = old.status AND shard = 0;
  INSERT INTO task_counts (queue, status, shard, n) VALUES (new.queue, new.status, 0, 1)
    ON CONFLICT (queue, status, shard) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tasks_counted_on_finish AFTER UPDATE OF status ON tasks
  WHEN old.status IS NOT new.status AND new.status IN ('succeeded', 'failed', 'cancelled')
    AND old.status NOT IN ('succeeded', 'failed', 'cancelled')
BEGIN
  INSERT INTO queue_minutes (queue, minute, shard, succeeded, failed, cancelled)
    VALUES (new.queue, COALESCE(new.finished_at, new.created_at) - COALESCE(new.finished_at, new.created_at) % 60000, 0,
      new.status = 'succeeded', new.status = 'failed', new.status = 'cancelled')
    ON CONFLICT (queue, minute, shard) DO UPDATE SET succeeded = succeeded + excluded.succeeded,
      failed = failed + excluded.failed, cancelled = cancelled + excluded.cancelled;
END;

CREATE TRIGGER tasks_counted_on_reopen AFTER UPDATE OF status ON tasks
  WHEN old.status IN ('succeeded', 'failed', 'cancelled') AND new.status NOT IN ('succeeded', 'failed', 'cancelled')
BEGIN
  INSERT INTO queue_minutes (queue, minute, shard, reopened)
    VALUES (new.queue, COALESCE(new.due_at, new.run_at) - COALESCE(new.due_at, new.run_at) % 60000, 0, 1)
    ON CONFLICT (queue, minute, shard) DO UPDATE SET reopened = reopened + 1;
END;

CREATE TRIGGER tasks_counted_on_delete AFTER DELETE ON tasks
BEGIN
  UPDATE task_counts SET n = n - 1 WHERE queue = old.queue AND status = old.status AND shard = 0;
END;

-- The attempts that finished within the hour before this migration get their task's queue and
-- timeout; older ones keep null: no figure reads them.
UPDATE attempts SET queue = (SELECT t.queue FROM tasks t WHERE t.id = attempts.task_id),
    timeout_ms = (SELECT t.timeout_ms FROM tasks t WHERE t.id = attempts.task_id)
  WHERE finished_at >= CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 3600000;
DROP INDEX attempts_by_finish;
