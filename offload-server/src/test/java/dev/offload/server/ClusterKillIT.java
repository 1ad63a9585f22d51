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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes on one PostgreSQL: 5,000 tasks, one node killed with SIGKILL mid-load.
 * Every task succeeds; the only tasks delivered twice are those the dead node had in flight.
 */
class ClusterKillIT {
  private static final int TASKS = 5_000;
  private static final int PER_BATCH = 100;

  @TempDir Path dir;
  private final List<OffloadProcess> nodes = new ArrayList<>();
  private TestTarget target;
  private String databaseUrl;

  @AfterEach
  void stop() {
    nodes.forEach(OffloadProcess::close);
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  @Test
  void a_node_killed_mid_load_loses_nothing_and_only_its_calls_in_flight_are_repeated()
      throws Exception {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    // Calls are held until a node has been killed, so the kill always catches calls in flight: on a
    // fast machine a fixed hold let every node finish its share before the kill landed.
    CountDownLatch killed = new CountDownLatch(1);
    target.on(
        "/work",
        request -> {
          hits.computeIfAbsent(request.header("Offload-Task-Id"), k -> new AtomicInteger())
              .incrementAndGet();
          try {
            killed.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Reply.ok("{}");
        });
    for (int i = 0; i < 3; i++) {
      nodes.add(
          OffloadProcess.serve(
                  "node" + i,
                  dir,
                  OffloadProcess.freePort(),
                  dir.resolve("data" + i),
                  "--database-url",
                  databaseUrl,
                  "--lease-timeout",
                  "5s")
              .awaitUp("/readyz"));
    }
    try {
      String batch = batchOf(target.url("/work"));
      for (int i = 0; i < TASKS / PER_BATCH; i++) {
        assertThat(nodes.get(i % 3).post("/v1/tasks/batch", batch).status()).isEqualTo(202);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> hits.size() >= TASKS / 5);
      OffloadProcess victim =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(this::busiestNode, busiest -> busiest != null);
      victim.kill();
      killed.countDown();

      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> count("status = 'succeeded'") == TASKS);

      assertThat(hits).hasSize(TASKS);
      Set<String> repeated = new HashSet<>();
      hits.forEach(
          (id, n) -> {
            if (n.get() > 1) repeated.add(id);
          });
      Set<String> lostWithTheVictim = idsWithAttempt("outcome = 'lease_expired'");
      Set<String> otherwiseRetried =
          idsWithAttempt("outcome <> 'lease_expired' AND outcome <> 'succeeded'");
      System.out.printf(
          "cluster kill: %d tasks, %d delivered twice, %d calls lost with the killed node,"
              + " %d tasks retried after a transport error, attempts per node %s%n",
          TASKS,
          repeated.size(),
          lostWithTheVictim.size(),
          otherwiseRetried.size(),
          attemptsPerNode());
      assertThat(lostWithTheVictim).as("the killed node had calls in flight").isNotEmpty();
      assertThat(hits.values()).allSatisfy(n -> assertThat(n.get()).isBetween(1, 2));
      Set<String> unexplained = new HashSet<>(repeated);
      unexplained.removeAll(lostWithTheVictim);
      assertThat(unexplained)
          .as(
              "delivered twice though not lost with the killed node; their attempts: %s",
              attemptsOf(unexplained))
          .isEmpty();
      assertThat(attemptsPerNode()).hasSize(3);
    } catch (AssertionError | RuntimeException e) {
      nodes.forEach(OffloadProcess::printLog);
      throw e;
    }
  }

  /** The process whose node holds the most running tasks right now, if it holds at least 10. */
  private OffloadProcess busiestNode() throws Exception {
    Map<String, Integer> running = new HashMap<>();
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT lease_owner, count(*) FROM tasks WHERE status = 'running' GROUP BY lease_owner")) {
      while (rows.next()) running.put(rows.getString(1), rows.getInt(2));
    }
    OffloadProcess busiest = null;
    int most = 9;
    for (OffloadProcess node : nodes) {
      JsonNode self = null;
      for (JsonNode n : node.get("/v1/nodes").body().get("nodes"))
        if (n.get("self").asBoolean()) self = n;
      int count = self == null ? 0 : running.getOrDefault(self.get("id").asText(), 0);
      if (count > most) {
        most = count;
        busiest = node;
      }
    }
    return busiest;
  }

  private static String batchOf(String url) {
    StringBuilder body = new StringBuilder("{\"tasks\":[");
    for (int j = 0; j < PER_BATCH; j++)
      body.append(j == 0 ? "" : ",").append("{\"callbackUrl\":\"").append(url).append("\"}");
    return body.append("]}").toString();
  }

  private int count(String where) throws Exception {
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM tasks WHERE " + where)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private Set<String> idsWithAttempt(String where) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT DISTINCT task_id FROM attempts WHERE " + where)) {
      while (rows.next()) ids.add(rows.getString(1));
    }
    return ids;
  }

  private List<String> attemptsOf(Set<String> ids) throws Exception {
    List<String> attempts = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT task_id, number, outcome, error, node FROM attempts ORDER BY task_id, number")) {
      while (rows.next()) {
        if (ids.contains(rows.getString(1))) {
          attempts.add(
              rows.getString(1)
                  + "#"
                  + rows.getInt(2)
                  + " "
                  + rows.getString(3)
                  + " "
                  + rows.getString(4)
                  + " on "
                  + rows.getString(5));
        }
      }
    }
    return attempts;
  }

  private Map<String, Integer> attemptsPerNode() throws Exception {
    Map<String, Integer> perNode = new ConcurrentHashMap<>();
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT node, count(*) FROM attempts GROUP BY node")) {
      while (rows.next()) perNode.put(rows.getString(1), rows.getInt(2));
    }
    return perNode;
  }
}
