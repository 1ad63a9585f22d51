CREATE INDEX two_by_one ON two (one_id);
