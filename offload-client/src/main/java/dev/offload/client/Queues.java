package dev.offload.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The queue API ({@code /v1/queues}) of one server, from {@link OffloadClient#queues()}.
 * Thread-safe. A queue no task ever named and no settings were put for is an {@link
 * OffloadException} with status 404.
 */
public final class Queues {
  private final Transport transport;

  Queues(Transport transport) {
    this.transport = transport;
  }

  /** Every queue that has tasks or settings, by name. */
  public List<QueueView> list() {
    return transport
        .get("/v1/queues", Duration.ZERO)
        .read(
            json -> {
              List<QueueView> queues = new ArrayList<>();
              json.path("queues").forEach(item -> queues.add(QueueView.from(item)));
              return List.copyOf(queues);
            });
  }

  public QueueView get(String name) {
    return transport.get(path(name), Duration.ZERO).read(QueueView::from);
  }

  /**
   * The queue's last hour minute by minute (created, finished, depth, attempt durations), for
   * charts.
   */
  public QueueHistory history(String name) {
    return transport.get(path(name) + "/history", Duration.ZERO).read(QueueHistory::from);
  }

  /** Replaces the queue's settings; the limits hold across every node at once. */
  public QueueView put(String name, QueueSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return transport.put(path(name), settings.toJson()).read(QueueView::from);
  }

  private static String path(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) throw new IllegalArgumentException("name is blank");
    return "/v1/queues/" + Transport.segment(name);
  }
}
