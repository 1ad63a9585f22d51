CREATE TABLE two (id INTEGER PRIMARY KEY, one_id INTEGER REFERENCES one (id), note TEXT);
-- A trigger's body has semicolons of its own, and so has a string: the script goes to the driver whole.
CREATE TABLE notes (text TEXT);
CREATE TRIGGER two_noted AFTER INSERT ON two
BEGIN
  INSERT INTO notes (text) VALUES ('two; inserted');
  INSERT INTO notes (text) VALUES (new.note);
END;
