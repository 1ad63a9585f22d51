package dev.offload.bench;

/**
 * One measured figure and, when there is one, the same-run baseline it is compared with.
 *
 * @param value null when the figure was not reached (e.g. never all W4 tasks in flight)
 * @param baseline what the bench's own client does against the bare sink, in {@code baselineUnit}
 */
record Figure(
    String workload,
    String store,
    String name,
    String unit,
    Double value,
    Double baseline,
    String baselineUnit) {
  static Figure of(String workload, String store, String name, String unit, Double value) {
    return new Figure(workload, store, name, unit, value, null, null);
  }

  Figure against(double baselineValue, String unitOfBaseline) {
    return new Figure(workload, store, name, unit, value, baselineValue, unitOfBaseline);
  }

  /** value ÷ baseline: a share of the raw rate for rates, a multiple of the bare path for times. */
  Double ratio() {
    if (value == null || baseline == null || baseline == 0 || !Double.isFinite(value / baseline))
      return null;
    return value / baseline;
  }
}
