package dev.offload.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.offload.store.JdbcStore;
import dev.offload.store.SqliteDialect;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example of the engine embedded in a Java application, without the HTTP server, run
 * against a real target and a real SQLite file. {@code ExamplesIT} checks that the README quotes it
 * as it is.
 */
class EmbeddedEngineIT {
  @TempDir Path dataDir;

  // readme:embedded-start
  static Task sendInvoice(Path dataDir, String targetUrl) throws Exception {
    EngineConfig config =
        EngineConfig.builder().build(); // every setting has a default; override any one
    JdbcStore store = JdbcStore.open(new SqliteDialect(dataDir.resolve("offload.db"), false));
    try (Engine engine =
        Engine.start(config, store, Clock.systemUTC())) { // the engine closes the store
      NewTask task =
          NewTask.builder()
              .callbackUrl(targetUrl)
              .body("{\"invoiceId\":42}")
              .contentType("application/json")
              .retries(5)
              .build();
      engine.create(TaskBatch.of(task)).get(); // completes once the task is committed
      return engine.awaitTerminal(task.id(), Duration.ofSeconds(30)).orElseThrow();
    }
  }

  // readme:embedded-end

  @Test
  void the_readme_example_creates_a_task_and_runs_it_against_its_target() throws Exception {
    Map<String, String> received = new ConcurrentHashMap<>();
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    target.createContext(
        "/invoices",
        exchange -> {
          try (exchange) {
            received.put(
                exchange.getRequestHeaders().getFirst("Offload-Task-Id"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"sent\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          }
        });
    target.start();
    try {
      Task done =
          sendInvoice(dataDir, "http://127.0.0.1:" + target.getAddress().getPort() + "/invoices");

      assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(done.result().body()).isEqualTo("{\"sent\":true}");
      assertThat(received).containsExactly(Map.entry(done.id().value(), "{\"invoiceId\":42}"));
    } finally {
      target.stop(0);
    }
  }
}
