-- Every running node, with its last heartbeat (GET /v1/nodes).
CREATE TABLE nodes (
  id            TEXT PRIMARY KEY,
  host          TEXT NOT NULL,
  version       TEXT NOT NULL,
  started_at    BIGINT NOT NULL,
  heartbeat_at  BIGINT NOT NULL,
  stopped_at    BIGINT
);
