-- Each connection adds to its own shard of a counter (its backend pid modulo 16), so writers on
-- many nodes do not queue behind one row; readers sum the shards. The triggers run once per
-- statement over its transition tables and upsert in key order, so two writers on one shard
-- lock counter rows in the same order.
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

-- The attempts that finished within the hour before this migration get their task's queue and
-- timeout; older ones keep null: no figure reads them.
UPDATE attempts a SET queue = t.queue, timeout_ms = t.timeout_ms FROM tasks t
  WHERE t.id = a.task_id AND a.finished_at >= (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT - 3600000;
DROP INDEX attempts_by_finish;
