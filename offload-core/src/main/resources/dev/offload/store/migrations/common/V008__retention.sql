-- Retention: finished tasks are deleted with their attempts, events and idempotency keys once
-- purge_at has passed. retention_ms on a task and retain_*_ms on a queue: null = not set (the
-- queue's, then the server's default applies), -1 = forever, else milliseconds. purge_at is set
-- when the task becomes terminal (finished_at + the retention that applies) and cleared by a
-- retry; null = kept.
ALTER TABLE tasks ADD COLUMN retention_ms BIGINT;
ALTER TABLE tasks ADD COLUMN purge_at BIGINT;
ALTER TABLE queues ADD COLUMN retain_succeeded_ms BIGINT;
ALTER TABLE queues ADD COLUMN retain_failed_ms BIGINT;
