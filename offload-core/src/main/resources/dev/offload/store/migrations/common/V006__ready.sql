-- Ready means stored status queued: the engine promotes scheduled and retrying tasks once their
-- due_at has passed (tasks_waiting finds them), so every reader counts the same tasks as ready.
-- Claims take one queue at a time in the order of due_at - priority * 1000 (priority: seconds of
-- head start), each kind of task on its own partial index, so neither a large backlog nor another
-- queue's backlog is ever scanned. The expression must be written the same in every claim.
ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;

DROP INDEX tasks_ready;
CREATE INDEX tasks_queued_push ON tasks (queue, (due_at - priority * 1000)) WHERE status = 'queued' AND callback_url IS NOT NULL;
CREATE INDEX tasks_queued_pull ON tasks (queue, (due_at - priority * 1000)) WHERE status = 'queued' AND name IS NOT NULL;
CREATE INDEX tasks_waiting ON tasks (due_at) WHERE status IN ('scheduled', 'retrying', 'waiting');
