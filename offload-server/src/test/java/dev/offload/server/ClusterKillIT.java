package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.server.TestTarget.Reply;
import dev.offload.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  void a_node_killed_mid_load_loses_nothing_and_only_its_calls_in_flight_are_repeated() throws Exception {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    target.on("/work", request -> {
      hits.computeIfAbsent(request.header("Offload-Task-Id"), k -> new AtomicInteger()).incrementAndGet();
      return Reply.ok("{}").holding(Duration.ofMillis(100));
    });
    for (int i = 0; i < 3; i++) {
      nodes.add(OffloadProcess.serve("node" + i, dir, OffloadProcess.freePort(), dir.resolve("data" + i),
          "--database-url", databaseUrl, "--lease-timeout", "3s").awaitUp("/readyz"));
    }
    try {
      String batch = batchOf(target.url("/work"));
      for (int i = 0; i < TASKS / PER_BATCH; i++) {
        assertThat(nodes.get(i % 3).post("/v1/tasks/batch", batch).status()).isEqualTo(202);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> hits.size() >= TASKS / 5);
      OffloadProcess victim = nodes.getFirst();
      victim.kill();

      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> count("status = 'succeeded'") == TASKS);

      assertThat(hits).hasSize(TASKS);
      Set<String> repeated = new HashSet<>();
      hits.forEach((id, n) -> { if (n.get() > 1) repeated.add(id); });
      Set<String> lostWithTheVictim = idsWithLeaseExpired();
      System.out.printf("cluster kill: %d tasks, %d delivered twice, %d attempts lost with the killed node, attempts per node %s%n",
          TASKS, repeated.size(), lostWithTheVictim.size(), attemptsPerNode());
      assertThat(hits.values()).allSatisfy(n -> assertThat(n.get()).isBetween(1, 2));
      assertThat(lostWithTheVictim).containsAll(repeated);
      assertThat(attemptsPerNode()).hasSize(3);
    } catch (AssertionError | RuntimeException e) {
      nodes.forEach(OffloadProcess::printLog);
      throw e;
    }
  }

  private static String batchOf(String url) {
    StringBuilder body = new StringBuilder("{\"tasks\":[");
    for (int j = 0; j < PER_BATCH; j++) body.append(j == 0 ? "" : ",").append("{\"callbackUrl\":\"").append(url).append("\"}");
    return body.append("]}").toString();
  }

  private int count(String where) throws Exception {
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM tasks WHERE " + where)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private Set<String> idsWithLeaseExpired() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT task_id FROM attempts WHERE outcome = 'lease_expired'")) {
      while (rows.next()) ids.add(rows.getString(1));
    }
    return ids;
  }

  private Map<String, Integer> attemptsPerNode() throws Exception {
    Map<String, Integer> perNode = new ConcurrentHashMap<>();
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT node, count(*) FROM attempts GROUP BY node")) {
      while (rows.next()) perNode.put(rows.getString(1), rows.getInt(2));
    }
    return perNode;
  }
}
