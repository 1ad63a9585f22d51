-- What happened to tasks, in commit order, for server-sent events and their Last-Event-ID resume.
-- Written in the transaction of the change it records; pruned by age and count.
-- AUTOINCREMENT: an id is never reused, even after every row was pruned.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id     TEXT NOT NULL,
  queue       TEXT NOT NULL,
  type        TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  outcome     TEXT,
  created_at  BIGINT NOT NULL
);
CREATE INDEX events_by_task ON events (task_id, id);
