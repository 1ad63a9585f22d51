package dev.offload.examples;

import dev.offload.client.OffloadClient;
import dev.offload.client.worker.NonRetryableException;
import dev.offload.client.worker.OffloadWorker;
import java.time.Duration;
import java.util.Map;

/**
 * A pull worker: a long-running process that asks Offload for {@code send-email} tasks and runs
 * them itself, no public endpoint, no time limit. Create work with {@code
 * TaskRequest.builder().name("send-email").payload(new Email(…))}.
 *
 * <p>Run: {@code offload-examples/run WorkerExample} ({@code OFFLOAD_URL} names the server, default
 * {@code http://127.0.0.1:8080}); stop with Ctrl-C (running tasks finish first).
 */
public final class WorkerExample {
  private WorkerExample() {}

  /** The payload of a {@code send-email} task. */
  public record Email(String to, String subject) {}

  // readme:worker-start
  public static OffloadWorker startWorker(OffloadClient offload) {
    return OffloadWorker.builder(offload)
        // handlers at once, each on a virtual thread
        .concurrency(32)
        // heartbeats every 20 s keep it; a dead worker's tasks return after 60 s
        .leaseFor(Duration.ofSeconds(60))
        .build()
        .handle(
            "send-email",
            Email.class,
            (task, email) -> {
              if (!email.to().contains("@")) {
                throw new NonRetryableException("not an address: " + email.to());
              }
              // ... send it; any other exception is retried with the task's backoff ...
              task.progress(Map.of("step", "sent"));
              return Map.of("sentTo", email.to(), "attempt", task.attempt()); // the task's result
            })
        .start();
  }

  public static void main(String[] args) throws InterruptedException {
    try (OffloadClient offload =
        OffloadClient.builder()
            .baseUrl(System.getenv().getOrDefault("OFFLOAD_URL", "http://127.0.0.1:8080"))
            .token(System.getenv("OFFLOAD_TOKEN"))
            .build()) {
      System.out.println("running send-email tasks; Ctrl-C stops (running tasks finish first)");
      // blocks; Ctrl-C or SIGTERM: stop leasing, running tasks finish (30 s grace)
      startWorker(offload).runUntilStopped();
    }
  }
  // readme:worker-end
}
