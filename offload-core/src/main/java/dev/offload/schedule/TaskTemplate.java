package dev.offload.schedule;

import dev.offload.task.Backoff;
import dev.offload.task.NewTask;
import dev.offload.task.Retention;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The task a schedule creates at each run: a {@link NewTask} without what belongs to one run (id,
 * start time, idempotency key). {@code body} is raw; a null {@code contentType} means JSON payload;
 * a null {@code retention} keeps finished runs as their queue or the server says.
 */
public record TaskTemplate(
    String queue,
    URI callbackUrl,
    String method,
    Map<String, String> headers,
    String body,
    String contentType,
    int retries,
    Backoff backoff,
    Duration timeout,
    URI webhookUrl,
    String metadata,
    String concurrencyKey,
    int keyConcurrency,
    int priority,
    Retention retention,
    int maxContinuations) {
  public TaskTemplate {
    if (callbackUrl == null)
      throw new IllegalArgumentException("a schedule's task needs a callbackUrl");
    if (queue == null || method == null || backoff == null)
      throw new IllegalArgumentException("queue, method and backoff are required");
    if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** The template of {@code task}; its id, runAt and idempotency key are dropped. */
  public static TaskTemplate of(NewTask task) {
    return new TaskTemplate(
        task.queue(),
        task.callbackUrl(),
        task.method(),
        task.headers(),
        task.body(),
        task.contentType(),
        task.retries(),
        task.backoff(),
        task.timeout(),
        task.webhookUrl(),
        task.metadata(),
        task.concurrencyKey(),
        task.keyConcurrency(),
        task.priority(),
        task.retention(),
        task.maxContinuations());
  }

  /** A new task of this template for a run of {@code scheduleName}, due now. */
  public NewTask toTask(String scheduleName) {
    return NewTask.builder()
        .queue(queue)
        .callbackUrl(callbackUrl)
        .method(method)
        .headers(headers)
        .body(body)
        .contentType(contentType)
        .retries(retries)
        .backoff(backoff)
        .timeout(timeout)
        .webhookUrl(webhookUrl)
        .metadata(metadata)
        .scheduleName(scheduleName)
        .concurrencyKey(concurrencyKey)
        .keyConcurrency(keyConcurrency)
        .priority(priority)
        .retention(retention)
        .maxContinuations(maxContinuations)
        .build();
  }
}
