-- The tasks table is updated several times per task: leave room on each page for HOT updates
-- and vacuum it long before the default 20 % of dead rows.
ALTER TABLE tasks SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
