package dev.offload.server;

import dev.offload.client.OffloadClient;
import dev.offload.client.worker.OffloadWorker;
import java.time.Duration;

/**
 * A worker in a JVM of its own for the kill test: it runs tasks named {@code args[1]} against the
 * server at {@code args[0]}, prints {@code STARTED <taskId>} when a handler starts, and never
 * finishes one, so the test can kill it mid-task.
 */
public final class StuckWorkerMain {
  private StuckWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    OffloadClient client = OffloadClient.builder().baseUrl(args[0]).build();
    OffloadWorker.builder(client)
        .workerId("doomed")
        .concurrency(1)
        .leaseFor(Duration.ofSeconds(2))
        .build()
        .handle(
            args[1],
            Object.class,
            (task, payload) -> {
              System.out.println("STARTED " + task.taskId());
              System.out.flush();
              Thread.sleep(Duration.ofHours(1));
              return null;
            })
        .start();
    Thread.currentThread().join();
  }
}
