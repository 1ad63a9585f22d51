package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.offload.cluster.WorkerHolding;
import dev.offload.cluster.WorkerHolding.HeldTask;
import dev.offload.cluster.WorkerInfo;
import dev.offload.dispatch.WorkerLeases;
import dev.offload.task.ActionResult;
import dev.offload.task.CreateResult;
import dev.offload.task.LeaseRenewal;
import dev.offload.task.NewTask;
import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Worker leases of pull tasks, the worker registry and what each worker holds, on each dialect. */
abstract class PullLeaseContract extends StoreContract {
  /** A worker's lease, shorter than a node's. */
  static final Duration WORKER_LEASE = Duration.ofSeconds(30);

  static NewTask.Builder aPullTask(String name) {
    return NewTask.builder().name(name).body("{\"n\":1}");
  }

  TaskId create(NewTask.Builder task) {
    CreateResult result =
        store
            .inserts()
            .create(List.of(TaskBatch.of(task.build())), T0, Duration.ofHours(1))
            .getFirst();
    return ((CreateResult.Created) result).tasks().getFirst().id();
  }

  List<Task> lease(
      String worker, List<String> queues, List<String> names, int max, Duration leaseFor) {
    return store
        .pullLeases()
        .leasePullTasks(
            new PullClaim(WorkerLeases.tokenPrefix(worker), queues, names, T0, max, leaseFor));
  }

  ActionResult renew(
      TaskId id, String leaseToken, Instant now, Duration leaseFor, String progressJson) {
    return store
        .pullLeases()
        .renewPullLeases(List.of(new LeaseRenewal(id, leaseToken, progressJson)), now, leaseFor)
        .getFirst();
  }

  @Test
  void leases_only_due_pull_tasks_of_the_names_and_queues_asked_for_oldest_first() {
    TaskId push = create(NewTask.builder().callbackUrl("https://t.example/x"));
    TaskId later = create(aPullTask("mail").runAt(T0.plusSeconds(60)));
    TaskId first = create(aPullTask("mail").runAt(T0.minusSeconds(2)));
    TaskId second = create(aPullTask("mail").runAt(T0.minusSeconds(1)));
    create(aPullTask("pdf"));
    create(aPullTask("mail").queue("other"));

    List<Task> leased = lease("w1", List.of("default"), List.of("mail"), 10, WORKER_LEASE);

    assertThat(leased).extracting(Task::id).containsExactly(first, second);
    assertThat(leased)
        .allSatisfy(
            t -> {
              assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
              assertThat(t.attempts()).isEqualTo(1);
              assertThat(t.leaseOwner()).startsWith("w1/lease_").endsWith(t.id().value());
              assertThat(WorkerLeases.workerOf(t.leaseOwner())).isEqualTo("w1");
            });
    assertThat(leased.get(0).leaseOwner()).isNotEqualTo(leased.get(1).leaseOwner());
    assertThat(store.tasks().find(later).orElseThrow().status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(store.pullLeases().nextPullDueAt(T0)).contains(T0);
    assertThat(store.pushClaims().claimDue("node-a", T0.plusSeconds(3600), 100, WORKER_LEASE))
        .extracting(Task::id)
        .containsExactly(push);
    assertThat(store.tasks().find(later).orElseThrow().status())
        .as("due by then, so ready for workers")
        .isEqualTo(TaskStatus.QUEUED);
  }

  @Test
  void leases_in_order_of_due_time_less_priority() {
    TaskId plain = create(aPullTask("mail"));
    TaskId urgent = create(aPullTask("mail").priority(60));
    TaskId low = create(aPullTask("mail").priority(-60));

    List<TaskId> order = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      order.add(lease("w1", List.of(), List.of(), 1, WORKER_LEASE).getFirst().id());

    assertThat(order).containsExactly(urgent, plain, low);
  }

  @Test
  void a_lease_and_its_renewals_end_at_the_attempt_timeout_at_the_latest() {
    TaskId id = create(aPullTask("slow").timeout(Duration.ofSeconds(10)));
    Task leased = lease("w", List.of(), List.of(), 1, WORKER_LEASE).getFirst();

    ActionResult renewed =
        renew(id, leased.leaseOwner(), T0.plusSeconds(5), WORKER_LEASE, "{\"p\":1}");
    assertThat(renewed).isInstanceOf(ActionResult.Done.class);
    assertThat(store.pushClaims().expiredLeases(T0.plusSeconds(10).plusMillis(1), 10))
        .extracting(Task::id)
        .containsExactly(id);
    assertThat(store.pushClaims().expiredLeases(T0.plusSeconds(10), 10)).isEmpty();
    assertThat(((ActionResult.Done) renewed).task().progress()).isEqualTo("{\"p\":1}");

    assertThat(renew(id, leased.leaseOwner(), T0.plusSeconds(10), WORKER_LEASE, null))
        .isInstanceOf(ActionResult.WrongState.class);
  }

  @Test
  void a_renewal_needs_the_token_of_the_lease_and_keeps_progress_when_none_is_given() {
    TaskId id = create(aPullTask("mail"));
    Task leased = lease("w", List.of(), List.of("mail"), 1, WORKER_LEASE).getFirst();
    renew(id, leased.leaseOwner(), T0.plusSeconds(1), WORKER_LEASE, "\"half\"");

    assertThat(renew(id, leased.leaseOwner() + "x", T0.plusSeconds(2), WORKER_LEASE, null))
        .isInstanceOf(ActionResult.WrongState.class);
    ActionResult kept = renew(id, leased.leaseOwner(), T0.plusSeconds(2), WORKER_LEASE, null);
    assertThat(((ActionResult.Done) kept).task().progress()).isEqualTo("\"half\"");
    assertThat(store.pushClaims().expiredLeases(T0.plusSeconds(32), 10)).isEmpty();
    assertThat(renew(new TaskId("tsk_01JD0000000000000000000000"), "t", T0, WORKER_LEASE, null))
        .isInstanceOf(ActionResult.NotFound.class);
  }

  @Test
  void many_leases_are_renewed_at_once_each_with_its_own_result() {
    TaskId a = create(aPullTask("batch"));
    TaskId b = create(aPullTask("batch"));
    List<Task> leased = lease("w", List.of(), List.of("batch"), 2, WORKER_LEASE);
    Task first = leased.stream().filter(t -> t.id().equals(a)).findFirst().orElseThrow();
    Task second = leased.stream().filter(t -> t.id().equals(b)).findFirst().orElseThrow();

    List<ActionResult> results =
        store
            .pullLeases()
            .renewPullLeases(
                List.of(
                    new LeaseRenewal(a, first.leaseOwner(), "1"),
                    new LeaseRenewal(b, first.leaseOwner(), "2"),
                    new LeaseRenewal(new TaskId("tsk_01JD0000000000000000000000"), "t", null)),
                T0.plusSeconds(20),
                WORKER_LEASE);

    assertThat(results.get(0)).isInstanceOf(ActionResult.Done.class);
    assertThat(results.get(1)).isInstanceOf(ActionResult.WrongState.class);
    assertThat(results.get(2)).isInstanceOf(ActionResult.NotFound.class);
    assertThat(store.tasks().find(a).orElseThrow().progress()).isEqualTo("1");
    assertThat(store.tasks().find(b).orElseThrow().progress()).isNull();
    assertThat(store.pushClaims().expiredLeases(T0.plusSeconds(40), 10))
        .extracting(Task::id)
        .containsExactly(b);
    assertThat(second.leaseOwner()).isNotEqualTo(first.leaseOwner());
  }

  @Test
  void a_released_task_is_queued_at_once_with_its_attempt_given_back() {
    TaskId id = create(aPullTask("mail"));
    Task leased = lease("w", List.of(), List.of("mail"), 1, WORKER_LEASE).getFirst();

    assertThat(
            store.pullLeases().releasePullLease(id, leased.leaseOwner() + "x", T0.plusSeconds(1)))
        .isInstanceOf(ActionResult.WrongState.class);
    ActionResult released =
        store.pullLeases().releasePullLease(id, leased.leaseOwner(), T0.plusSeconds(1));

    Task task = ((ActionResult.Done) released).task();
    assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task.attempts()).isZero();
    assertThat(task.leaseOwner()).isNull();
    assertThat(store.pullLeases().releasePullLease(id, leased.leaseOwner(), T0.plusSeconds(2)))
        .isInstanceOf(ActionResult.WrongState.class);
    assertThat(
            store
                .pullLeases()
                .leasePullTasks(
                    new PullClaim(
                        WorkerLeases.tokenPrefix("v"),
                        List.of(),
                        List.of(),
                        T0.plusSeconds(1),
                        1,
                        WORKER_LEASE)))
        .singleElement()
        .satisfies(t -> assertThat(t.attempts()).isEqualTo(1));
  }

  @Test
  void node_wide_lease_renewals_and_releases_never_touch_a_worker_lease() {
    create(aPullTask("mail"));
    Task leased = lease("node-a", List.of(), List.of(), 1, WORKER_LEASE).getFirst();

    assertThat(store.pushClaims().renewLeases("node-a", T0.plusSeconds(3600))).isZero();
    assertThat(store.pushClaims().releaseLeases("node-a", T0)).isZero();
    assertThat(store.tasks().find(leased.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void concurrent_leases_never_hand_out_a_task_twice() throws Exception {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < 200; i++) tasks.add(aPullTask("mail").build());
    store.inserts().create(List.of(new TaskBatch(tasks)), T0, Duration.ofHours(1));
    List<Callable<List<Task>>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String worker = "w" + w;
      workers.add(
          () -> {
            List<Task> mine = new ArrayList<>();
            for (List<Task> got = lease(worker, List.of(), List.of(), 7, WORKER_LEASE);
                !got.isEmpty();
                got = lease(worker, List.of(), List.of(), 7, WORKER_LEASE)) {
              mine.addAll(got);
            }
            return mine;
          });
    }
    Set<TaskId> seen = new HashSet<>();
    int total = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (Future<List<Task>> result : pool.invokeAll(workers)) {
        for (Task task : result.get()) {
          seen.add(task.id());
          total++;
        }
      }
    }
    assertThat(total).isEqualTo(200);
    assertThat(seen).hasSize(200);
  }

  static WorkerInfo seen(String worker, String node, Instant at) {
    return new WorkerInfo(worker, node, List.of("mail", "pdf:render"), List.of("default"), at);
  }

  @Test
  void the_registry_keeps_the_newest_sighting_of_each_worker_whichever_node_saves_it_last() {
    store
        .workers()
        .sawWorkers(List.of(seen("w1", "node-a", T0.plusSeconds(10)), seen("w2", "node-a", T0)));
    store
        .workers()
        .sawWorkers(
            List.of(
                new WorkerInfo("w1", "node-b", List.of(), List.of("other"), T0.plusSeconds(5))));
    assertThat(store.workers().workers(10))
        .as("an older sighting saved later changes nothing")
        .containsExactly(seen("w1", "node-a", T0.plusSeconds(10)), seen("w2", "node-a", T0));

    store
        .workers()
        .sawWorkers(
            List.of(
                new WorkerInfo("w2", "node-b", List.of(), List.of("other"), T0.plusSeconds(20))));

    assertThat(store.workers().workers(10))
        .containsExactly(
            new WorkerInfo("w2", "node-b", List.of(), List.of("other"), T0.plusSeconds(20)),
            seen("w1", "node-a", T0.plusSeconds(10)));
    assertThat(store.workers().workers(1)).extracting(WorkerInfo::workerId).containsExactly("w2");
  }

  @Test
  void the_registry_forgets_the_workers_last_seen_before_a_time() {
    store
        .workers()
        .sawWorkers(
            List.of(seen("old", "node-a", T0), seen("recent", "node-a", T0.plusSeconds(60))));

    assertThat(store.purges().forgetWorkers(T0.plusSeconds(60))).isEqualTo(1);

    assertThat(store.workers().workers(10))
        .extracting(WorkerInfo::workerId)
        .containsExactly("recent");
  }

  @Test
  void
      holdings_count_the_running_pull_tasks_of_each_worker_and_list_the_first_longest_running_first() {
    assertThat(store.workers().workerHoldings(WorkerLeases.MARK, 2)).isEmpty();
    for (int i = 0; i < 4; i++) create(aPullTask("mail"));
    create(aPullTask("pdf:render"));
    create(NewTask.builder().callbackUrl("https://t.example/x"));
    String other = "host-7.example:41@eu_1";
    Task first = lease("w1", List.of(), List.of("mail"), 1, WORKER_LEASE).getFirst();
    List<Task> later =
        store
            .pullLeases()
            .leasePullTasks(
                new PullClaim(
                    WorkerLeases.tokenPrefix("w1"),
                    List.of(),
                    List.of("mail"),
                    T0.plusSeconds(1),
                    2,
                    WORKER_LEASE));
    Task otherHolds = lease(other, List.of(), List.of("pdf:render"), 1, WORKER_LEASE).getFirst();
    Task released = lease(other, List.of(), List.of("mail"), 1, WORKER_LEASE).getFirst();
    assertThat(
            store
                .pullLeases()
                .releasePullLease(released.id(), released.leaseOwner(), T0.plusSeconds(2)))
        .isInstanceOf(ActionResult.Done.class);
    assertThat(store.pushClaims().claimDue("node-a", T0.plusSeconds(3), 10, WORKER_LEASE))
        .as("a push task a node runs is no worker's")
        .hasSize(1);

    List<WorkerHolding> holdings = store.workers().workerHoldings(WorkerLeases.MARK, 2);

    assertThat(holdings)
        .extracting(WorkerHolding::workerId, WorkerHolding::count)
        .containsExactlyInAnyOrder(tuple("w1", 3), tuple(other, 1));
    WorkerHolding w1 =
        holdings.stream().filter(h -> h.workerId().equals("w1")).findFirst().orElseThrow();
    assertThat(w1.tasks()).hasSize(2).first().isEqualTo(new HeldTask(first.id(), "mail"));
    assertThat(later).extracting(Task::id).contains(w1.tasks().get(1).id());
    assertThat(
            holdings.stream()
                .filter(h -> h.workerId().equals(other))
                .findFirst()
                .orElseThrow()
                .tasks())
        .containsExactly(new HeldTask(otherHolds.id(), "pdf:render"));
  }
}
