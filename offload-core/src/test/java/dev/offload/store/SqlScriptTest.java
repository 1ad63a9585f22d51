package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splits_at_semicolons_and_drops_comments() {
    assertThat(SqlScript.statements("""
        -- a table; with a comment
        CREATE TABLE a (x INTEGER); /* block; comment */
        CREATE INDEX a_x ON a (x);
        -- trailing comment only;
        """)).containsExactly("CREATE TABLE a (x INTEGER)", "CREATE INDEX a_x ON a (x)");
  }

  @Test
  void keeps_semicolons_inside_strings_and_quoted_names() {
    assertThat(SqlScript.statements("INSERT INTO a VALUES ('x;''y', \"odd;name\"); SELECT 1"))
        .containsExactly("INSERT INTO a VALUES ('x;''y', \"odd;name\")", "SELECT 1");
  }

  @Test
  void keeps_a_postgres_function_body_whole() {
    String function = """
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE a SET x = x + 1; -- inside; the body
          RETURN NULL;
        END $$""";
    String tagged = "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$";
    assertThat(SqlScript.statements(function + ";\n" + tagged + ";\nCREATE TRIGGER t AFTER INSERT ON a"
        + " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION f();\nSELECT 2;"))
        .containsExactly(function, tagged,
            "CREATE TRIGGER t AFTER INSERT ON a REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION f()",
            "SELECT 2");
  }

  @Test
  void keeps_a_sqlite_trigger_body_whole_with_case_inside() {
    String trigger = """
        CREATE TRIGGER t AFTER UPDATE OF x ON a WHEN old.x IS NOT new.x
        BEGIN
          UPDATE b SET n = n + CASE WHEN new.x = 1 THEN 1 ELSE 0 END WHERE k = new.k;
          INSERT INTO c VALUES (new.x);
        END""";
    assertThat(SqlScript.statements(trigger + ";\nSELECT CASE WHEN 1 THEN 2 END; SELECT 3"))
        .containsExactly(trigger, "SELECT CASE WHEN 1 THEN 2 END", "SELECT 3");
  }

  @Test
  void a_begin_outside_a_trigger_does_not_swallow_the_script() {
    assertThat(SqlScript.statements("BEGIN; SELECT 1; END;")).containsExactly("BEGIN", "SELECT 1", "END");
  }
}
