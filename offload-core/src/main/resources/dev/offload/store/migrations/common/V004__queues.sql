-- Flow control (README: Queues). A queue exists as soon as a task names it; a row here holds its
-- settings (null = no limit) and its rate token bucket. Claimers of a limited queue lock its row,
-- so limits hold across nodes. A keyed task creates its queue's row, so keyed queues are known.
CREATE TABLE queues (
  name             TEXT PRIMARY KEY,
  concurrency      INTEGER,
  rate_per_second  DOUBLE PRECISION,
  burst            INTEGER,
  paused           INTEGER NOT NULL DEFAULT 0,
  tokens           DOUBLE PRECISION,
  tokens_at        BIGINT,
  updated_at       BIGINT NOT NULL
);

ALTER TABLE tasks ADD COLUMN concurrency_key TEXT;
ALTER TABLE tasks ADD COLUMN key_concurrency INTEGER;

-- Running tasks per queue and key (limits); ready tasks per queue (limited claims, oldest ready
-- age); finished tasks per queue (throughput); attempts by end time (duration percentiles).
CREATE INDEX tasks_running_by_queue ON tasks (queue, concurrency_key) WHERE status = 'running';
CREATE INDEX tasks_ready_by_queue ON tasks (queue, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX tasks_finished_by_queue ON tasks (queue, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX tasks_by_queue_status ON tasks (queue, status);
CREATE INDEX attempts_by_finish ON attempts (finished_at);
