package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.offload.event.EventQuery;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Task;
import dev.offload.task.TaskEvent;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Task events: written with the change they record, read in order with their tasks, pruned by age
 * and count.
 */
abstract class EventContract extends StoreContract {
  List<TaskEvent> events(EventQuery query) {
    return store.events().events(query);
  }

  static EventQuery allAfter(long id) {
    return new EventQuery(id, Long.MAX_VALUE, null, null, 1_000, true);
  }

  @Test
  void events_record_a_task_life_in_commit_order_with_the_task() {
    TaskId id = create(T0, aPushTask().queue("ev").build());
    store
        .completion()
        .finish(List.of(retrying(claimOne(NODE_A, T0), T0.plusSeconds(1), T0.plusSeconds(2))));
    Task second = claimOne(NODE_A, T0.plusSeconds(2));
    store.actions().updateProgress(id, "{\"step\":1}", T0.plusSeconds(3));
    store.completion().finish(List.of(succeeded(second, T0.plusSeconds(4))));

    List<TaskEvent> events = events(new EventQuery(0, Long.MAX_VALUE, id, null, 100, true));

    assertThat(events)
        .extracting(e -> e.type().wire(), TaskEvent::attempt, TaskEvent::outcome)
        .containsExactly(
            tuple("task.created", 0, null),
            tuple("attempt.started", 1, null),
            tuple("attempt.finished", 1, AttemptOutcome.HTTP_ERROR),
            tuple("attempt.started", 2, null),
            tuple("task.progress", 2, null),
            tuple("attempt.finished", 2, AttemptOutcome.SUCCEEDED),
            tuple("task.succeeded", 2, null));
    assertThat(events).extracting(TaskEvent::id).isSorted().doesNotHaveDuplicates();
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.queue()).isEqualTo("ev");
              assertThat(e.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
            });
    assertThat(events.getFirst().at()).isEqualTo(T0);
  }

  @Test
  void events_follow_an_id_and_filter_by_queue_and_task() {
    TaskId a = create(T0, aPushTask().queue("a").build());
    TaskId b = create(T0, aPushTask().queue("b").build());
    long afterA = events(allAfter(0)).getFirst().id();

    assertThat(events(allAfter(afterA))).extracting(TaskEvent::taskId).containsExactly(b);
    assertThat(events(new EventQuery(0, Long.MAX_VALUE, null, "a", 10, false)))
        .extracting(TaskEvent::taskId, TaskEvent::task)
        .containsExactly(tuple(a, null));
    assertThat(events(new EventQuery(0, afterA, null, null, 10, false)))
        .extracting(TaskEvent::taskId)
        .containsExactly(a);
    assertThat(store.events().lastEventId()).isEqualTo(events(allAfter(0)).getLast().id());
  }

  @Test
  void a_replayed_create_and_a_finish_that_lost_its_task_record_no_event() {
    TaskId id = create(T0, aKeyedTask("k", "h").build());
    createBatch(T0, aKeyedTask("k", "h").build());
    Task claimed = claimOne(NODE_A, T0);
    store.actions().cancel(id, T0.plusSeconds(1));
    store.completion().finish(List.of(succeeded(claimed, T0.plusSeconds(2))));

    assertThat(events(allAfter(0)))
        .extracting(e -> e.type().wire())
        .containsExactly("task.created", "attempt.started", "task.cancelled");
  }

  @Test
  void pruning_keeps_the_newest_events_and_those_within_the_retention() {
    for (int i = 0; i < 5; i++) create(T0.plusSeconds(i), aPushTask().build());
    List<Long> ids = events(allAfter(0)).stream().map(TaskEvent::id).toList();

    assertThat(store.events().pruneEvents(T0.plusSeconds(1), 1_000)).isEqualTo(1);
    assertThat(store.events().pruneEvents(T0, 2)).isEqualTo(2);
    assertThat(events(allAfter(0)))
        .extracting(TaskEvent::id)
        .containsExactlyElementsOf(ids.subList(3, 5));
  }
}
