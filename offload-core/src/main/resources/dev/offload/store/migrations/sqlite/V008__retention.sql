-- Tasks that finished before retention existed: -1 marks them for the purger, which gives them
-- a purge time under the node's current settings, in small batches.
UPDATE tasks SET purge_at = -1 WHERE finished_at IS NOT NULL;

CREATE INDEX tasks_purge ON tasks (purge_at) WHERE purge_at IS NOT NULL;
