package dev.offload.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders figures as an aligned Markdown table: {@code workload | store | figure | value | baseline
 * | ratio}.
 */
final class ReportTable {
  private static final String[] HEADER = {
    "workload", "store", "figure", "value", "baseline", "ratio"
  };

  private ReportTable() {}

  static String render(List<Figure> figures) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Figure f : figures) {
      rows.add(
          new String[] {
            f.workload(),
            f.store(),
            f.name(),
            withUnit(f.value(), f.unit()),
            f.baseline() == null ? "" : withUnit(f.baseline(), f.baselineUnit()),
            ratio(f.ratio())
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) widths[c] = Math.max(widths[c], row[c].length());
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      line(out, rows.get(r), widths);
      if (r == 0) separator(out, widths);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    out.append('|');
    for (int c = 0; c < cells.length; c++) {
      // Text left, numbers right, as Markdown's alignment row below says.
      String format = c < 3 ? "%-" + widths[c] + "s" : "%" + widths[c] + "s";
      out.append(' ').append(String.format(Locale.ROOT, format, cells[c])).append(" |");
    }
    out.append('\n');
  }

  private static void separator(StringBuilder out, int[] widths) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      out.append(c < 3 ? "-".repeat(widths[c] + 2) : "-".repeat(widths[c] + 1) + ":").append('|');
    }
    out.append('\n');
  }

  static String withUnit(Double value, String unit) {
    if (value == null) return "not reached";
    return number(value) + " " + unit;
  }

  /**
   * Three significant digits or whole numbers with separators: precise enough for noisy figures.
   */
  static String number(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 100 || value == Math.rint(value))
      return String.format(Locale.ROOT, "%,.0f", value);
    if (magnitude >= 10) return String.format(Locale.ROOT, "%.1f", value);
    if (magnitude >= 1) return String.format(Locale.ROOT, "%.2f", value);
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String ratio(Double ratio) {
    if (ratio == null) return "";
    return (ratio >= 10
            ? String.format(Locale.ROOT, "%,.0f", ratio)
            : String.format(Locale.ROOT, "%.2f", ratio))
        + "×";
  }
}
