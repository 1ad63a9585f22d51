package dev.offload.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a migration script into statements at the semicolons that end them: not those inside
 * strings, quoted names, comments, PostgreSQL dollar-quoted bodies ({@code $$…$$}, {@code $fn$…$fn$})
 * or the {@code BEGIN … END} body of a SQLite trigger (where {@code CASE … END} nests). Comments are
 * dropped, so a statement that is only a comment is no statement.
 */
final class SqlScript {
  private final String sql;
  private final List<String> statements = new ArrayList<>();
  private final StringBuilder current = new StringBuilder();
  private final StringBuilder word = new StringBuilder();
  private int pos;
  private int wordsInStatement;
  private boolean startsWithCreate;
  /** Whether the statement so far is CREATE … TRIGGER: only there do BEGIN and END nest. */
  private boolean trigger;
  /** Open BEGIN and CASE blocks of a trigger; a semicolon ends the statement only at zero. */
  private int depth;

  private SqlScript(String sql) {
    this.sql = sql;
  }

  static List<String> statements(String script) {
    SqlScript parser = new SqlScript(script);
    parser.parse();
    return parser.statements;
  }

  private void parse() {
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (c == '-' && sql.startsWith("--", pos)) {
        skipPast("\n");
      } else if (c == '/' && sql.startsWith("/*", pos)) {
        skipPast("*/");
      } else if (c == '\'' || c == '"') {
        endWord();
        copyQuoted(String.valueOf(c));
      } else if (c == '$' && dollarTag() != null && !isWordChar(previous())) {
        endWord();
        copyQuoted(dollarTag());
      } else if (c == ';') {
        endWord();
        if (depth == 0) endStatement();
        else current.append(c);
        pos++;
      } else {
        if (isWordChar(c)) word.append(c);
        else endWord();
        current.append(c);
        pos++;
      }
    }
    endWord();
    endStatement();
  }

  /** The dollar-quote tag starting at {@code pos} ({@code $$} or {@code $name$}), or null. */
  private String dollarTag() {
    int end = pos + 1;
    if (end < sql.length() && Character.isDigit(sql.charAt(end))) return null; // $1 is a parameter
    while (end < sql.length() && isWordChar(sql.charAt(end))) end++;
    return end < sql.length() && sql.charAt(end) == '$' ? sql.substring(pos, end + 1) : null;
  }

  /** Copies from {@code pos} past the closing {@code quote} (a doubled quote char stays inside). */
  private void copyQuoted(String quote) {
    int close = sql.indexOf(quote, pos + quote.length());
    while (quote.length() == 1 && close >= 0 && close + 1 < sql.length() && sql.charAt(close + 1) == quote.charAt(0)) {
      close = sql.indexOf(quote, close + 2);
    }
    int end = close < 0 ? sql.length() : close + quote.length();
    current.append(sql, pos, end);
    pos = end;
  }

  /** Drops a comment, leaving a space so the words either side stay apart. */
  private void skipPast(String terminator) {
    int close = sql.indexOf(terminator, pos);
    current.append(' ');
    pos = close < 0 ? sql.length() : close + terminator.length();
  }

  private void endWord() {
    if (word.isEmpty()) return;
    String upper = word.toString().toUpperCase(Locale.ROOT);
    word.setLength(0);
    wordsInStatement++;
    if (wordsInStatement == 1) {
      startsWithCreate = upper.equals("CREATE");
    } else if (upper.equals("TRIGGER") && startsWithCreate && depth == 0) {
      trigger = true;
    } else if (trigger) {
      switch (upper) {
        case "BEGIN", "CASE" -> depth++;
        case "END" -> depth = Math.max(0, depth - 1);
        default -> { }
      }
    }
  }

  private void endStatement() {
    String statement = current.toString().strip();
    if (!statement.isEmpty()) statements.add(statement);
    current.setLength(0);
    wordsInStatement = 0;
    startsWithCreate = false;
    trigger = false;
    depth = 0;
  }

  private char previous() {
    return pos == 0 ? ' ' : sql.charAt(pos - 1);
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
