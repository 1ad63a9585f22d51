-- Tasks that finished before retention existed: -1 marks them for the purger, which gives them
-- a purge time under the node's current settings, in small batches. No status changes, so the
-- counters' trigger has nothing to do, and its early exit (until V011) compared every pair of
-- updated rows: hours for a million.
ALTER TABLE tasks DISABLE TRIGGER tasks_counted_on_update;
UPDATE tasks SET purge_at = -1 WHERE finished_at IS NOT NULL;
ALTER TABLE tasks ENABLE TRIGGER tasks_counted_on_update;

CREATE INDEX tasks_purge ON tasks (purge_at) WHERE purge_at IS NOT NULL;

-- Space freed by deletes is reused by later inserts once VACUUM has marked it free. The default
-- autovacuum waits until 20 % of a table is dead; tables that lose rows in a steady stream
-- (purged tasks' attempts and events, pruned events, expired keys) would grow by a fifth before
-- any space is reused. 2 % (tasks has had that since V001, with fillfactor 80 for its updates)
-- keeps them near their live size. These three are insert-only until deleted, so their pages
-- stay completely filled (fillfactor 100, the default).
ALTER TABLE attempts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE idempotency_keys SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
