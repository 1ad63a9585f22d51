-- Counters kept by triggers in the transaction of every write, so the queue figures read a few
-- rows instead of counting tasks: tasks per (queue, status), and per queue and minute the tasks
-- created, finished (by their finished_at) and reopened (a finished task retried, by its new
-- due_at). Deleting a task lowers its status count but not its minutes: history stays as it was.
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

-- Attempts carry their task's queue and timeout, so the duration percentiles of a queue read its
-- latest attempts from one index (filled in below for the attempts of the last hour).
ALTER TABLE attempts ADD COLUMN queue TEXT;
ALTER TABLE attempts ADD COLUMN timeout_ms BIGINT;
CREATE INDEX attempts_by_queue ON attempts (queue, finished_at, started_at, timeout_ms, outcome) WHERE queue IS NOT NULL;

-- Task lists newest first under every filter walk one index: (queue, status) and (schedule, status)
-- end with the id they are ordered by. Finished counts come from queue_minutes now.
DROP INDEX tasks_by_queue_status;
DROP INDEX tasks_finished_by_queue;
CREATE INDEX tasks_by_queue_status ON tasks (queue, status, id);
CREATE INDEX tasks_by_schedule_status ON tasks (schedule_name, status, id) WHERE schedule_name IS NOT NULL;

CREATE INDEX nodes_by_heartbeat ON nodes (heartbeat_at);
