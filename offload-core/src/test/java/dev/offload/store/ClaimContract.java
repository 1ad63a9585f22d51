package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.queue.QueueDepth;
import dev.offload.queue.QueueSettings;
import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.Created;
import dev.offload.task.CreateResult.CreatedTask;
import dev.offload.task.NewTask;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Claiming push tasks: only due ones, in order of due time less priority, queues taking turns,
 * never one task twice; and when to look again.
 */
abstract class ClaimContract extends StoreContract {
  @Test
  void a_task_with_run_at_in_the_future_is_scheduled_and_claimed_only_once_due() {
    Instant runAt = T0.plus(Duration.ofMinutes(10));
    CreatedTask created = createOne(T0, aPushTask().runAt(runAt).build());

    assertThat(created.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(find(created.id()).status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(find(created.id()).runAt()).isEqualTo(runAt);
    assertThat(store.pushClaims().claimDue(NODE_A, T0, 10, LEASE)).isEmpty();
    assertThat(store.pushClaims().claimDue(NODE_A, runAt.minusMillis(1), 10, LEASE)).isEmpty();

    assertThat(ids(store.pushClaims().claimDue(NODE_A, runAt, 10, LEASE)))
        .containsExactly(created.id());
  }

  @Test
  void claim_due_leases_the_task_to_the_node_and_counts_the_attempt() {
    TaskId id = create(T0, aPushTask().build());
    Instant claimedAt = T0.plusSeconds(1);

    Task claimed = claimOne(NODE_A, claimedAt);

    assertThat(claimed.id()).isEqualTo(id);
    assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(claimed.attempts()).isEqualTo(1);
    assertThat(claimed.leaseOwner()).isEqualTo(NODE_A);
    assertThat(claimed.startedAt()).isEqualTo(claimedAt);
    assertThat(claimed.attemptStartedAt()).isEqualTo(claimedAt);
    assertThat(find(id)).isEqualTo(claimed);
  }

  @Test
  void a_claimed_task_is_not_claimed_again() {
    create(T0, aPushTask().build());
    claimOne(NODE_A, T0);

    assertThat(store.pushClaims().claimDue(NODE_B, T0.plusSeconds(30), 10, LEASE)).isEmpty();
  }

  @Test
  void claim_due_takes_at_most_max_tasks_oldest_due_first() {
    TaskId late = create(T0, aPushTask().runAt(T0.plusSeconds(3)).build());
    TaskId early = create(T0, aPushTask().runAt(T0.plusSeconds(1)).build());
    TaskId middle = create(T0, aPushTask().runAt(T0.plusSeconds(2)).build());

    List<Task> claimed = store.pushClaims().claimDue(NODE_A, T0.plusSeconds(5), 2, LEASE);

    assertThat(ids(claimed)).containsExactlyInAnyOrder(early, middle);
    assertThat(ids(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(5), 2, LEASE)))
        .containsExactly(late);
  }

  @Test
  void claims_go_in_order_of_due_time_less_priority_among_due_tasks() {
    TaskId plain = create(T0.minusSeconds(10), aPushTask().build());
    TaskId urgent = create(T0, aPushTask().priority(60).build());
    TaskId low = create(T0.minusSeconds(20), aPushTask().priority(-30).build());
    TaskId notYetDue =
        create(T0, aPushTask().runAt(T0.plusSeconds(30)).priority(NewTask.MAX_PRIORITY).build());

    List<TaskId> order = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      order.add(store.pushClaims().claimDue(NODE_A, T0, 1, LEASE).getFirst().id());

    assertThat(order)
        .as("due less head start: T0-60s, T0-10s, T0+10s")
        .containsExactly(urgent, plain, low);
    assertThat(find(urgent).priority()).isEqualTo(60);
    assertThat(find(notYetDue).status())
        .as("a head start never makes a task due early")
        .isEqualTo(TaskStatus.SCHEDULED);
  }

  @Test
  void queues_take_turns_so_a_long_queue_never_starves_another() {
    for (int i = 0; i < 20; i++) create(T0, aPushTask().queue("long").build());
    for (int i = 0; i < 3; i++) create(T0, aPushTask().queue("short").build());

    Set<String> served = new HashSet<>();
    for (int i = 0; i < 2; i++)
      store.pushClaims().claimDue(NODE_A, T0, 3, LEASE).forEach(t -> served.add(t.queue()));

    assertThat(served).containsExactlyInAnyOrder("long", "short");
  }

  @Test
  void a_due_task_becomes_queued_even_in_a_paused_queue_and_counts_as_ready() {
    store.queues().put("held", new QueueSettings(null, null, null, true), T0);
    TaskId later = create(T0, aPushTask().queue("held").runAt(T0.plusSeconds(10)).build());
    TaskId retried = create(T0, aPushTask().queue("held").retries(1).build());
    store.queues().put("held", QueueSettings.NONE, T0);
    store
        .completion()
        .finish(List.of(retrying(claimOne(NODE_A, T0), T0.plusSeconds(1), T0.plusSeconds(5))));
    store.queues().put("held", new QueueSettings(null, null, null, true), T0);

    assertThat(store.pushClaims().nextDueAt(T0.plusSeconds(1)))
        .as("woken to promote, though paused")
        .contains(T0.plusSeconds(5));
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(5), 10, LEASE)).isEmpty();
    assertThat(find(retried).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(find(later).status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(store.pushClaims().nextDueAt(T0.plusSeconds(5))).contains(T0.plusSeconds(10));

    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(10), 10, LEASE)).isEmpty();
    assertThat(find(later).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(store.pushClaims().nextDueAt(T0.plusSeconds(10)))
        .as("nothing to do until the queue resumes")
        .isEmpty();
    assertThat(store.queues().queueDepths(T0.plusSeconds(12)))
        .containsExactly(new QueueDepth("held", TaskStatus.QUEUED, 2, T0.plusSeconds(5)));
    assertThat(store.queues().find("held", T0.plusSeconds(12)).orElseThrow().oldestReadyAgeMs())
        .isEqualTo(7_000L);
  }

  @Test
  void claim_due_leaves_pull_tasks_to_workers() {
    create(T0, NewTask.builder().name("send-email").build());

    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(1), 10, LEASE)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();
  }

  @Test
  void two_claimers_never_get_the_same_task() throws Exception {
    List<TaskBatch> batches =
        IntStream.range(0, 500).mapToObj(i -> TaskBatch.of(aPushTask().build())).toList();
    Set<TaskId> all = new HashSet<>();
    for (CreateResult result : store.inserts().create(batches, T0, KEY_TTL)) {
      all.add(((Created) result).tasks().getFirst().id());
    }
    CountDownLatch start = new CountDownLatch(1);
    Callable<List<TaskId>> claimer =
        () -> {
          String node = Thread.currentThread().getName();
          List<TaskId> mine = new ArrayList<>();
          start.await();
          while (true) {
            List<Task> claimed = store.pushClaims().claimDue(node, T0.plusSeconds(1), 7, LEASE);
            if (claimed.isEmpty()) return mine;
            claimed.forEach(task -> assertThat(task.leaseOwner()).isEqualTo(node));
            mine.addAll(ids(claimed));
          }
        };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<TaskId>> first = threads.submit(claimer);
      Future<List<TaskId>> second = threads.submit(claimer);
      start.countDown();
      List<TaskId> union = new ArrayList<>(first.get(60, TimeUnit.SECONDS));
      union.addAll(second.get(60, TimeUnit.SECONDS));

      assertThat(union).doesNotHaveDuplicates().hasSize(500);
      assertThat(new HashSet<>(union)).isEqualTo(all);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void next_due_at_is_the_earliest_due_time_of_a_waiting_push_task() {
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();

    create(T0, aPushTask().runAt(T0.plusSeconds(30)).build());
    create(T0, aPushTask().runAt(T0.plusSeconds(10)).build());
    create(T0, aPushTask().runAt(T0.plusSeconds(20)).build());
    assertThat(store.pushClaims().nextDueAt(T0)).contains(T0.plusSeconds(10));

    claimOne(NODE_A, T0.plusSeconds(10));
    assertThat(store.pushClaims().nextDueAt(T0))
        .as("a running task is not waiting")
        .contains(T0.plusSeconds(20));
  }
}
