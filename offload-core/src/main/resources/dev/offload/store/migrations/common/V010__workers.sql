-- Pull workers that asked for work lately (GET /v1/workers). Each node keeps what it sees in memory
-- and writes it here every few seconds; the newest sighting of a worker wins, whichever node made it.
-- names, queues: JSON arrays of what the worker asked for (empty: any).
CREATE TABLE workers (
  worker_id     TEXT PRIMARY KEY,
  node          TEXT NOT NULL,
  names         TEXT NOT NULL,
  queues        TEXT NOT NULL,
  last_seen_at  BIGINT NOT NULL
);
CREATE INDEX workers_by_last_seen ON workers (last_seen_at);
