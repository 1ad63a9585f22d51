-- Times are epoch milliseconds, so both dialects share one mapping.
CREATE TABLE tasks (
  id                   TEXT PRIMARY KEY,
  queue                TEXT NOT NULL,
  name                 TEXT,
  callback_url         TEXT,
  method               TEXT NOT NULL,
  headers              TEXT,
  body                 TEXT,
  content_type         TEXT,
  status               TEXT NOT NULL,
  created_at           BIGINT NOT NULL,
  run_at               BIGINT NOT NULL,
  -- When the task may be claimed; NULL whenever it may not (running or terminal).
  due_at               BIGINT,
  started_at           BIGINT,
  attempt_started_at   BIGINT,
  finished_at          BIGINT,
  attempts             INTEGER NOT NULL DEFAULT 0,
  max_attempts         INTEGER NOT NULL,
  retries              INTEGER NOT NULL,
  backoff_type         TEXT NOT NULL,
  backoff_initial_ms   BIGINT NOT NULL,
  backoff_max_ms       BIGINT NOT NULL,
  backoff_factor       DOUBLE PRECISION NOT NULL,
  backoff_jitter       INTEGER NOT NULL,
  timeout_ms           BIGINT,
  lease_owner          TEXT,
  lease_expires_at     BIGINT,
  result_status        INTEGER,
  result_content_type  TEXT,
  result_body          TEXT,
  result_json          INTEGER,
  result_truncated     INTEGER,
  last_error           TEXT,
  progress             TEXT,
  metadata             TEXT,
  schedule_name        TEXT,
  idempotency_key      TEXT,
  webhook_url          TEXT,
  webhook_status       TEXT,
  webhook_attempts     INTEGER NOT NULL DEFAULT 0,
  webhook_due_at       BIGINT,
  webhook_last_error   TEXT
);

CREATE INDEX tasks_ready ON tasks (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE status = 'running';
CREATE INDEX tasks_lease_owner ON tasks (lease_owner) WHERE lease_owner IS NOT NULL;
CREATE INDEX tasks_webhooks_due ON tasks (webhook_due_at) WHERE webhook_due_at IS NOT NULL;
CREATE INDEX tasks_by_queue ON tasks (queue, id);
CREATE INDEX tasks_by_status ON tasks (status, id);
CREATE INDEX tasks_by_schedule ON tasks (schedule_name, id) WHERE schedule_name IS NOT NULL;

CREATE TABLE attempts (
  task_id           TEXT NOT NULL,
  number            INTEGER NOT NULL,
  started_at        BIGINT NOT NULL,
  finished_at       BIGINT NOT NULL,
  outcome           TEXT NOT NULL,
  status_code       INTEGER,
  error             TEXT,
  response_excerpt  TEXT,
  node              TEXT,
  PRIMARY KEY (task_id, number)
);

CREATE TABLE idempotency_keys (
  idem_key      TEXT PRIMARY KEY,
  task_id       TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  expires_at    BIGINT NOT NULL
);

CREATE TABLE settings (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
