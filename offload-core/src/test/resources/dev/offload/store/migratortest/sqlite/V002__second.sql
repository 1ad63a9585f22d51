INSERT INTO two (id, note) VALUES (1, 'the dialect part; after the common part');
