package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.TaskId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leases a node holds on the push tasks it runs: renewed all at once, found once expired. */
abstract class NodeLeaseContract extends StoreContract {
  @Test
  void expired_leases_finds_running_tasks_whose_lease_has_passed() {
    TaskId id = create(T0, aPushTask().build());
    claimOne(NODE_A, T0);

    assertThat(store.pushClaims().expiredLeases(T0.plus(LEASE).minusMillis(1), 10)).isEmpty();
    assertThat(ids(store.pushClaims().expiredLeases(T0.plus(LEASE).plusMillis(1), 10)))
        .containsExactly(id);
  }

  @Test
  void expired_leases_ignores_tasks_that_are_not_running() {
    create(T0, aPushTask().build());
    create(T0, aPushTask().runAt(T0.plusSeconds(5)).build());

    assertThat(store.pushClaims().expiredLeases(T0.plus(Duration.ofDays(1)), 10)).isEmpty();
  }

  @Test
  void renew_leases_extends_every_lease_of_the_node_only() {
    TaskId ofA = create(T0, aPushTask().build());
    claimOne(NODE_A, T0);
    TaskId ofB = create(T0, aPushTask().build());
    claimOne(NODE_B, T0);

    assertThat(store.pushClaims().renewLeases(NODE_A, T0.plus(Duration.ofMinutes(5)))).isEqualTo(1);

    assertThat(ids(store.pushClaims().expiredLeases(T0.plus(Duration.ofMinutes(2)), 10)))
        .containsExactly(ofB);
    assertThat(ids(store.pushClaims().expiredLeases(T0.plus(Duration.ofMinutes(6)), 10)))
        .containsExactlyInAnyOrder(ofA, ofB);
    assertThat(store.pushClaims().renewLeases("node-gone", T0.plus(Duration.ofMinutes(5))))
        .isZero();
  }

  @Test
  void renew_leases_skips_tasks_no_longer_running() {
    create(T0, aPushTask().build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0.plusSeconds(1))));

    assertThat(store.pushClaims().renewLeases(NODE_A, T0.plus(Duration.ofMinutes(5)))).isZero();
  }
}
