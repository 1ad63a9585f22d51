-- Long work split into many calls (continuations, sleeps, callbacks).
-- continuations: calls answered with Offload-Continue so far; the next call carries this number.
-- state: the JSON the last continued call answered with, sent to the next call.
-- awaiting: 1 when the last continued call asked to wait for a callback, so the next call gets one.
-- callback / callback_step: the JSON posted to the callback URL of call number callback_step.
ALTER TABLE tasks ADD COLUMN continuations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN max_continuations INTEGER NOT NULL DEFAULT 10000;
ALTER TABLE tasks ADD COLUMN state TEXT;
ALTER TABLE tasks ADD COLUMN awaiting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN callback TEXT;
ALTER TABLE tasks ADD COLUMN callback_step INTEGER;
