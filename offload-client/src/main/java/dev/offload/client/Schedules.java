package dev.offload.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The schedule API ({@code /v1/schedules}) of one server, from {@link OffloadClient#schedules()}.
 * Thread-safe. A schedule that does not exist is an {@link OffloadException} with status 404.
 */
public final class Schedules {
  private final Transport transport;

  Schedules(Transport transport) {
    this.transport = transport;
  }

  /** Creates or replaces a schedule; an identical request changes nothing. */
  public ScheduleView put(String name, ScheduleRequest request) {
    Objects.requireNonNull(request, "request");
    return transport.put(path(name), request.toJson()).read(ScheduleView::from);
  }

  public ScheduleView get(String name) {
    return transport.get(path(name), Duration.ZERO).read(ScheduleView::from);
  }

  /**
   * The schedule with its next {@code nextRuns} slots (1 to 50) in {@link
   * ScheduleView#nextRunsAt()}.
   */
  public ScheduleView get(String name, int nextRuns) {
    if (nextRuns < 1 || nextRuns > 50)
      throw new IllegalArgumentException("nextRuns must be 1 to 50, got " + nextRuns);
    return transport.get(path(name) + "?next=" + nextRuns, Duration.ZERO).read(ScheduleView::from);
  }

  /** Every schedule, by name. */
  public List<ScheduleView> list() {
    return transport
        .get("/v1/schedules", Duration.ZERO)
        .read(
            json -> {
              List<ScheduleView> schedules = new ArrayList<>();
              json.path("schedules").forEach(item -> schedules.add(ScheduleView.from(item)));
              return List.copyOf(schedules);
            });
  }

  /** Deletes a schedule; the tasks it created stay. */
  public void delete(String name) {
    transport.delete(path(name));
  }

  public ScheduleView pause(String name) {
    return action(name, "pause").read(ScheduleView::from);
  }

  /** Resumes from the next slot; slots that fell while paused are not replayed. */
  public ScheduleView resume(String name) {
    return action(name, "resume").read(ScheduleView::from);
  }

  /** Creates a run now, whatever the cron says (also while paused). */
  public Accepted trigger(String name) {
    return action(name, "trigger")
        .read(
            json ->
                new Accepted(
                    Json.requiredText(json, "taskId"),
                    TaskStatus.fromWire(Json.requiredText(json, "status")),
                    false,
                    null));
  }

  private Transport.Answer action(String name, String action) {
    return transport.post(path(name) + "/" + action, null, Map.of(), Duration.ZERO);
  }

  private static String path(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) throw new IllegalArgumentException("name is blank");
    return "/v1/schedules/" + Transport.segment(name);
  }
}
