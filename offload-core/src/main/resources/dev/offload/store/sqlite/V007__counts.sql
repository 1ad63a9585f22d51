-- Counters kept by triggers in the transaction of every write, so the queue figures read a few
-- rows instead of counting tasks: tasks per (queue, status), and per queue and minute the tasks
-- created, finished (by their finished_at) and reopened (a finished task retried, by its new
-- due_at). Deleting a task lowers its status count but not its minutes: history stays as it was.
-- shard is always 0 here (SQLite has one writer); PostgreSQL spreads writers over shards.
CREATE TABLE task_counts (
  queue   TEXT NOT NULL,
  status  TEXT NOT NULL,
  shard   INTEGER NOT NULL,
  n       BIGINT NOT NULL,
  PRIMARY KEY (queue, status, shard)
);

CREATE TABLE queue_minutes (
  queue      TEXT NOT NULL,
  minute     BIGINT NOT NULL,
  shard      INTEGER NOT NULL,
  created    BIGINT NOT NULL DEFAULT 0,
  succeeded  BIGINT NOT NULL DEFAULT 0,
  failed     BIGINT NOT NULL DEFAULT 0,
  cancelled  BIGINT NOT NULL DEFAULT 0,
  reopened   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (queue, minute, shard)
);

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

-- Attempts carry their task's queue and timeout, so the duration percentiles of a queue read its
-- latest attempts from one index. Attempts that finished more than an hour before this migration
-- keep null: no figure reads them.
ALTER TABLE attempts ADD COLUMN queue TEXT;
ALTER TABLE attempts ADD COLUMN timeout_ms BIGINT;
UPDATE attempts SET queue = (SELECT t.queue FROM tasks t WHERE t.id = attempts.task_id),
    timeout_ms = (SELECT t.timeout_ms FROM tasks t WHERE t.id = attempts.task_id)
  WHERE finished_at >= CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 3600000;
CREATE INDEX attempts_by_queue ON attempts (queue, finished_at, started_at, timeout_ms, outcome) WHERE queue IS NOT NULL;
DROP INDEX attempts_by_finish;

-- Task lists newest first under every filter walk one index: (queue, status) and (schedule, status)
-- end with the id they are ordered by. Finished counts come from queue_minutes now.
DROP INDEX tasks_by_queue_status;
DROP INDEX tasks_finished_by_queue;
CREATE INDEX tasks_by_queue_status ON tasks (queue, status, id);
CREATE INDEX tasks_by_schedule_status ON tasks (schedule_name, status, id) WHERE schedule_name IS NOT NULL;

CREATE INDEX nodes_by_heartbeat ON nodes (heartbeat_at);
