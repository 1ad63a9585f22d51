package dev.offload.server;

import dev.offload.server.TestTarget.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link TestTarget} responder that holds each call and counts, as the target sees it, how many
 * calls are in flight at once: overall, and per value of a request header (a concurrency key).
 */
final class InFlightMeter implements Function<TestTarget.Received, Reply> {
  private final Duration hold;
  private final String groupHeader;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final Map<String, AtomicInteger> inFlightByGroup = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> peakByGroup = new ConcurrentHashMap<>();
  private final List<Instant> starts = new CopyOnWriteArrayList<>();
  private final AtomicInteger finished = new AtomicInteger();

  /** {@code groupHeader}: the header whose value groups calls, or null. */
  InFlightMeter(Duration hold, String groupHeader) {
    this.hold = hold;
    this.groupHeader = groupHeader;
  }

  @Override
  public Reply apply(TestTarget.Received request) {
    starts.add(Instant.now());
    String group = groupHeader == null ? "" : String.valueOf(request.header(groupHeader));
    AtomicInteger inGroup = inFlightByGroup.computeIfAbsent(group, g -> new AtomicInteger());
    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    peakByGroup
        .computeIfAbsent(group, g -> new AtomicInteger())
        .accumulateAndGet(inGroup.incrementAndGet(), Math::max);
    try {
      Thread.sleep(hold);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inGroup.decrementAndGet();
      inFlight.decrementAndGet();
      finished.incrementAndGet();
    }
    return Reply.ok("{}");
  }

  int peak() {
    return peak.get();
  }

  Map<String, Integer> peakByGroup() {
    Map<String, Integer> peaks = new java.util.TreeMap<>();
    peakByGroup.forEach((group, value) -> peaks.put(group, value.get()));
    return peaks;
  }

  int calls() {
    return starts.size();
  }

  int finished() {
    return finished.get();
  }

  /** Calls that started within {@code window} of the first call. */
  long callsWithinWindowOfFirst(Duration window) {
    Instant first = starts.stream().min(Instant::compareTo).orElseThrow();
    return starts.stream().filter(at -> at.isBefore(first.plus(window))).count();
  }

  Instant firstCall() {
    return starts.stream().min(Instant::compareTo).orElseThrow();
  }
}
