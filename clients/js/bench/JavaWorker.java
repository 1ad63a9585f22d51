import dev.offload.client.OffloadClient;
import dev.offload.client.worker.OffloadWorker;
import java.time.Duration;

/**
 * The Java worker for worker-throughput.js: runs no-op handlers for tasks named args[1] at
 * concurrency args[2] against the server at args[0], until its standard input closes.
 */
public class JavaWorker {
  public static void main(String[] args) throws Exception {
    OffloadClient client = OffloadClient.builder().baseUrl(args[0]).build();
    OffloadWorker worker = OffloadWorker.builder(client).concurrency(Integer.parseInt(args[2])).waitFor(Duration.ofSeconds(1)).build()
        .handle(args[1], Object.class, (task, payload) -> null)
        .start();
    System.out.println("ready");
    while (System.in.read() != -1) {
      // wait for the end of input
    }
    worker.stop(Duration.ofSeconds(5));
    client.close();
  }
}
