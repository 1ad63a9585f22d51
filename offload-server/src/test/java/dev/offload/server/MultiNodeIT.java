package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.TestTarget.Reply;
import dev.offload.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes in one JVM sharing one real PostgreSQL schema: they split work and hear each other. */
class MultiNodeIT {
  @TempDir Path dir;
  private String databaseUrl;
  private TestTarget target;
  private RunningServer a;
  private RunningServer b;

  @BeforeEach
  void start() throws Exception {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
  }

  @AfterEach
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  private RunningServer node(String name, UnaryOperator<ServerConfig> customize) {
    return new RunningServer(
        dir.resolve(name), c -> customize.apply(c.withDatabaseUrl(databaseUrl)));
  }

  private RunningServer node(String name) {
    return node(name, c -> c);
  }

  @Test
  void a_task_created_on_one_node_is_long_polled_to_completion_on_the_other() {
    a = node("a");
    b = node("b");
    target.on("/slow", Reply.ok("{\"done\":true}").holding(Duration.ofMillis(800)));
    String id = a.createTask("{\"callbackUrl\":\"" + target.url("/slow") + "\"}");

    long start = System.nanoTime();
    JsonNode task = b.get("/v1/tasks/" + id + "?wait=20s").body();

    assertThat(task.get("status").asText()).isEqualTo("succeeded");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void both_nodes_take_work_and_every_task_runs_exactly_once() throws Exception {
    a = node("a");
    b = node("b");
    Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    target.on(
        "/work",
        request -> {
          hits.computeIfAbsent(request.header("Offload-Task-Id"), k -> new AtomicInteger())
              .incrementAndGet();
          return Reply.ok("{}").holding(Duration.ofMillis(20));
        });
    int batches = 20;
    int perBatch = 100;
    for (int i = 0; i < batches; i++) {
      StringBuilder body = new StringBuilder("{\"tasks\":[");
      for (int j = 0; j < perBatch; j++) {
        body.append(j == 0 ? "" : ",")
            .append("{\"callbackUrl\":\"")
            .append(target.url("/work"))
            .append("\"}");
      }
      assertThat(
              (i % 2 == 0 ? a : b).post("/v1/tasks/batch", body.append("]}").toString()).status())
          .isEqualTo(202);
    }

    int total = batches * perBatch;
    await().atMost(Duration.ofSeconds(60)).until(() -> countSucceeded() == total);
    assertThat(hits).hasSize(total);
    assertThat(hits.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    Map<String, Integer> perNode = attemptsPerNode();
    assertThat(perNode).hasSize(2);
    assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isGreaterThan(total / 10));
  }

  @Test
  void cancel_on_one_node_aborts_the_call_running_on_the_other() {
    a = node("a");
    target.on("/hold", Reply.ok("{}").holding(Duration.ofSeconds(30)));
    String id = a.createTask("{\"callbackUrl\":\"" + target.url("/hold") + "\",\"retries\":0}");
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received("/hold").size() == 1);
    b = node("b");

    assertThat(b.post("/v1/tasks/" + id + "/cancel", "").body().get("status").asText())
        .isEqualTo("cancelled");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode attempts = b.get("/v1/tasks/" + id + "/attempts").body();
              return attempts.size() == 1
                  && attempts.get(0).get("outcome").asText().equals("cancelled");
            });
  }

  @Test
  void a_graceful_stop_hands_running_tasks_to_the_other_node_without_spending_an_attempt() {
    UnaryOperator<ServerConfig> longLease =
        c -> c.withLeaseTimeout(Duration.ofSeconds(60)).withShutdownGrace(Duration.ZERO);
    a = node("a", longLease);
    target.onSequence(
        "/once", Reply.ok("{}").holding(Duration.ofSeconds(30)), Reply.ok("{\"second\":true}"));
    String id = a.createTask("{\"callbackUrl\":\"" + target.url("/once") + "\",\"retries\":0}");
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received("/once").size() == 1);
    b = node("b", longLease);

    a.close();
    a = null;

    JsonNode task = b.awaitFinished(id);
    assertThat(task.get("status").asText()).isEqualTo("succeeded");
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void nodes_lists_every_live_node() {
    a = node("a");
    b = node("b");

    JsonNode nodes = a.get("/v1/nodes").body().get("nodes");

    assertThat(nodes).hasSize(2);
    assertThat(nodes).allSatisfy(n -> assertThat(n.get("alive").asBoolean()).isTrue());
    assertThat(nodes.findValuesAsText("self")).containsExactlyInAnyOrder("true", "false");
  }

  @Test
  void workers_list_the_workers_that_asked_either_node_and_what_they_hold() {
    a = node("a");
    b = node("b");
    String id = a.createTask("{\"name\":\"render-pdf\"}");
    JsonNode leased =
        a.post("/v1/workers/lease", "{\"workerId\":\"asked-a\",\"wait\":\"0s\"}")
            .body()
            .path("tasks");
    assertThat(leased.path(0).path("taskId").asText()).isEqualTo(id);
    b.post(
        "/v1/workers/lease",
        "{\"workerId\":\"asked-b\",\"names\":[\"thumbnail\"],\"wait\":\"0s\"}");

    for (RunningServer node : List.of(a, b)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> node.get("/v1/workers").body().path("workers").size() == 2);
      JsonNode workers = node.get("/v1/workers").body().path("workers");
      JsonNode askedA =
          workers.get(0).path("workerId").asText().equals("asked-a")
              ? workers.get(0)
              : workers.get(1);
      assertThat(askedA.path("holding").asInt()).isEqualTo(1);
      assertThat(askedA.path("held").path(0).path("taskId").asText()).isEqualTo(id);
      assertThat(workers.findValuesAsText("workerId"))
          .containsExactlyInAnyOrder("asked-a", "asked-b");
    }
  }

  private int countSucceeded() throws Exception {
    return query("SELECT count(*) FROM tasks WHERE status = 'succeeded'", rows -> rows.getInt(1))
        .getFirst();
  }

  private Map<String, Integer> attemptsPerNode() throws Exception {
    Map<String, Integer> perNode = new HashMap<>();
    for (Object[] row :
        query(
            "SELECT node, count(*) FROM attempts GROUP BY node",
            rows -> new Object[] {rows.getString(1), rows.getInt(2)})) {
      perNode.put((String) row[0], (Integer) row[1]);
    }
    return perNode;
  }

  private interface Row<T> {
    T read(ResultSet rows) throws Exception;
  }

  private <T> List<T> query(String sql, Row<T> row) throws Exception {
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      List<T> out = new ArrayList<>();
      while (rows.next()) out.add(row.read(rows));
      return out;
    }
  }
}
