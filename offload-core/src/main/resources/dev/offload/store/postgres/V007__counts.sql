-- Counters kept by triggers in the transaction of every write, so the queue figures read a few
-- rows instead of counting tasks: tasks per (queue, status), and per queue and minute the tasks
-- created, finished (by their finished_at) and reopened (a finished task retried, by its new
-- due_at). Deleting a task lowers its status count but not its minutes: history stays as it was.
-- Each connection adds to its own shard of a counter (its backend pid modulo 16), so writers on
-- many nodes do not queue behind one row; readers sum the shards. The triggers run once per
-- statement over its transition tables and upsert in key order, so two writers on one shard
-- lock counter rows in the same order.
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

LOCK TABLE tasks IN SHARE MODE;

INSERT INTO task_counts (queue, status, shard, n) SELECT queue, status, 0, COUNT(*) FROM tasks GROUP BY queue, status;

INSERT INTO queue_minutes (queue, minute, shard, created)
  SELECT queue, created_at - created_at % 60000, 0, COUNT(*) FROM tasks GROUP BY 1, 2;

INSERT INTO queue_minutes AS m (queue, minute, shard, succeeded, failed, cancelled)
  SELECT queue, finished_at - finished_at % 60000, 0, COUNT(*) FILTER (WHERE status = 'succeeded'),
    COUNT(*) FILTER (WHERE status = 'failed'), COUNT(*) FILTER (WHERE status = 'cancelled')
  FROM tasks WHERE finished_at IS NOT NULL AND status IN ('succeeded', 'failed', 'cancelled') GROUP BY 1, 2
  ON CONFLICT (queue, minute, shard) DO UPDATE SET succeeded = excluded.succeeded, failed = excluded.failed,
    cancelled = excluded.cancelled;

CREATE FUNCTION tasks_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts AS c (queue, status, shard, n)
    SELECT queue, status, pg_backend_pid() % 16, COUNT(*) FROM new_rows GROUP BY queue, status ORDER BY queue, status
    ON CONFLICT (queue, status, shard) DO UPDATE SET n = c.n + excluded.n;
  INSERT INTO queue_minutes AS m (queue, minute, shard, created)
    SELECT queue, created_at - created_at % 60000, pg_backend_pid() % 16, COUNT(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (queue, minute, shard) DO UPDATE SET created = m.created + excluded.created;
  RETURN NULL;
END $$;

CREATE FUNCTION tasks_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Most updates (leases, progress, webhooks) change no status: leave before any upsert.
  IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.status IS DISTINCT FROM n.status) THEN
    RETURN NULL;
  END IF;
  INSERT INTO task_counts AS c (queue, status, shard, n)
    SELECT queue, status, pg_backend_pid() % 16, SUM(delta) FROM (
      SELECT o.queue, o.status, -1 AS delta FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.status IS DISTINCT FROM n.status
      UNION ALL
      SELECT n.queue, n.status, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.status IS DISTINCT FROM n.status
    ) changes GROUP BY queue, status ORDER BY queue, status
    ON CONFLICT (queue, status, shard) DO UPDATE SET n = c.n + excluded.n;
  INSERT INTO queue_minutes AS m (queue, minute, shard, succeeded, failed, cancelled, reopened)
    SELECT queue, moved_at - moved_at % 60000, pg_backend_pid() % 16, COUNT(*) FILTER (WHERE status = 'succeeded'),
      COUNT(*) FILTER (WHERE status = 'failed'), COUNT(*) FILTER (WHERE status = 'cancelled'),
      COUNT(*) FILTER (WHERE status NOT IN ('succeeded', 'failed', 'cancelled'))
    FROM (
      SELECT n.queue, n.status, CASE WHEN n.status IN ('succeeded', 'failed', 'cancelled')
          THEN COALESCE(n.finished_at, n.created_at) ELSE COALESCE(n.due_at, n.run_at) END AS moved_at
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (n.status IN ('succeeded', 'failed', 'cancelled')) <> (o.status IN ('succeeded', 'failed', 'cancelled'))
    ) moves GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (queue, minute, shard) DO UPDATE SET succeeded = m.succeeded + excluded.succeeded,
      failed = m.failed + excluded.failed, cancelled = m.cancelled + excluded.cancelled,
      reopened = m.reopened + excluded.reopened;
  RETURN NULL;
END $$;

CREATE FUNCTION tasks_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts AS c (queue, status, shard, n)
    SELECT queue, status, pg_backend_pid() % 16, -COUNT(*) FROM old_rows GROUP BY queue, status ORDER BY queue, status
    ON CONFLICT (queue, status, shard) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;

CREATE TRIGGER tasks_counted_on_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tasks_count_inserted();
CREATE TRIGGER tasks_counted_on_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tasks_count_updated();
CREATE TRIGGER tasks_counted_on_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tasks_count_deleted();

-- Attempts carry their task's queue and timeout, so the duration percentiles of a queue read its
-- latest attempts from one index. Attempts that finished more than an hour before this migration
-- keep null: no figure reads them.
ALTER TABLE attempts ADD COLUMN queue TEXT;
ALTER TABLE attempts ADD COLUMN timeout_ms BIGINT;
UPDATE attempts a SET queue = t.queue, timeout_ms = t.timeout_ms FROM tasks t
  WHERE t.id = a.task_id AND a.finished_at >= (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT - 3600000;
CREATE INDEX attempts_by_queue ON attempts (queue, finished_at, started_at, timeout_ms, outcome) WHERE queue IS NOT NULL;
DROP INDEX attempts_by_finish;

-- Task lists newest first under every filter walk one index: (queue, status) and (schedule, status)
-- end with the id they are ordered by. Finished counts come from queue_minutes now.
DROP INDEX tasks_by_queue_status;
DROP INDEX tasks_finished_by_queue;
CREATE INDEX tasks_by_queue_status ON tasks (queue, status, id);
CREATE INDEX tasks_by_schedule_status ON tasks (schedule_name, status, id) WHERE schedule_name IS NOT NULL;

CREATE INDEX nodes_by_heartbeat ON nodes (heartbeat_at);
