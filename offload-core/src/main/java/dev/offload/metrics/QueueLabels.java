package dev.offload.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code queue} label: the first {@code max} queue names seen keep their name, later
 * ones share {@value #OTHER}, so a client creating a queue per customer cannot flood Prometheus.
 */
public final class QueueLabels {
  public static final String OTHER = "_other";
  public static final int DEFAULT_MAX = 1_000;

  private final int max;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public QueueLabels(int max) {
    if (max < 1) throw new IllegalArgumentException("max must be >= 1, got " + max);
    this.max = max;
  }

  public String of(String queue) {
    if (queue == null) return OTHER;
    if (known.contains(queue)) return queue;
    synchronized (known) {
      if (known.size() < max) {
        known.add(queue);
        return queue;
      }
    }
    return known.contains(queue) ? queue : OTHER;
  }
}
