-- Bulk actions (POST /v1/bulk-actions): retry, cancel or delete every task a filter matches, run in
-- the background in batches by the node that holds the action's lease.
-- upto_task_id: tasks with a smaller id were created before the action was accepted, the only ones
-- it applies to. cursor_task_id: the last task visited, saved with each batch. matched: counted
-- before the first batch (NULL until then). filter_hash: SHA-256 of filter_json, short enough for an
-- index entry whatever the filter holds. Finished actions are kept 7 days.
CREATE TABLE bulk_actions (
  id                TEXT PRIMARY KEY,
  action            TEXT NOT NULL,
  filter_json       TEXT NOT NULL,
  filter_hash       TEXT NOT NULL,
  status            TEXT NOT NULL,
  upto_task_id      TEXT NOT NULL,
  cursor_task_id    TEXT,
  matched           BIGINT,
  done              BIGINT NOT NULL DEFAULT 0,
  failed            BIGINT NOT NULL DEFAULT 0,
  created_at        BIGINT NOT NULL,
  finished_at       BIGINT,
  lease_owner       TEXT,
  lease_expires_at  BIGINT
);
-- One running action per verb and filter: a second request for it gets the running one.
CREATE UNIQUE INDEX bulk_actions_running ON bulk_actions (action, filter_hash) WHERE status = 'running';
CREATE INDEX bulk_actions_finished ON bulk_actions (finished_at) WHERE finished_at IS NOT NULL;
