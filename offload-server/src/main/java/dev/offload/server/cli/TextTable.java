package dev.offload.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Columns padded to their widest cell, numbers aligned right: the CLI's tables for people. */
final class TextTable {
  static final String NONE = "-";

  private final List<String> header;
  private final Set<Integer> rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header, Set<Integer> rightAligned) {
    this.header = header;
    this.rightAligned = rightAligned;
    rows.add(header);
  }

  TextTable add(List<String> row) {
    if (row.size() != header.size())
      throw new IllegalArgumentException(
          "a row of " + row.size() + " cells under " + header.size() + " columns");
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.size() == 1;
  }

  /** The table, one line a row, each ending in a newline; trailing spaces stripped. */
  String render() {
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = row.get(i);
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(rightAligned.contains(i) ? pad + cell : cell + pad).append("  ");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
