-- Cron schedules (README: Schedules). next_run_at is the next slot to fire; version grows with every
-- change, so a node firing from a stale read changes nothing.
CREATE TABLE schedules (
  name          TEXT PRIMARY KEY,
  cron          TEXT NOT NULL,
  timezone      TEXT NOT NULL,
  task          TEXT NOT NULL,
  paused        INTEGER NOT NULL,
  overlap       TEXT NOT NULL,
  catch_up      TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  next_run_at   BIGINT,
  last_run_at   BIGINT,
  last_task_id  TEXT,
  version       BIGINT NOT NULL
);

CREATE INDEX schedules_due ON schedules (next_run_at) WHERE paused = 0 AND next_run_at IS NOT NULL;

-- One row per slot decided: its primary key is what makes a slot fire once however many nodes
-- run. task_id is null for a slot skipped because the previous run was unfinished.
CREATE TABLE schedule_runs (
  schedule_name  TEXT NOT NULL,
  slot_at        BIGINT NOT NULL,
  task_id        TEXT,
  fired_at       BIGINT NOT NULL,
  PRIMARY KEY (schedule_name, slot_at)
);
