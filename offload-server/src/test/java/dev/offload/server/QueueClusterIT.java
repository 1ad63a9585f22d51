package dev.offload.server;

import dev.offload.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow-control limits with two nodes sharing one PostgreSQL schema: limits are per queue, not
 * per node.
 */
class QueueClusterIT {
  @TempDir Path dir;
  private String databaseUrl;
  private TestTarget target;
  private RunningServer a;
  private RunningServer b;

  @BeforeEach
  void start() {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    a = new RunningServer(dir.resolve("a"), c -> c.withDatabaseUrl(databaseUrl));
    b = new RunningServer(dir.resolve("b"), c -> c.withDatabaseUrl(databaseUrl));
  }

  @AfterEach
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  @Test
  void concurrency_5_holds_across_two_nodes() {
    FlowControlChecks.concurrency5HoldsFor200Tasks(List.of(a, b), target);
  }

  @Test
  void a_rate_of_20_per_second_holds_across_two_nodes() {
    long calls = FlowControlChecks.rate20PerSecondHoldsOver10Seconds(List.of(a, b), target);
    System.out.println(
        "rate 20/s, two nodes: " + calls + " calls started within 10 s of the first");
  }

  @Test
  void per_key_concurrency_holds_across_two_nodes() {
    FlowControlChecks.oneCallPerKeyWhileOtherKeysProceed(List.of(a, b), target);
  }
}
