package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.TaskId;
import dev.offload.task.TaskPage;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listing tasks: newest first, filtered, page by page with a cursor. */
abstract class ListContract extends StoreContract {
  @Test
  void list_pages_newest_first_with_a_cursor() {
    List<TaskId> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) created.add(create(T0.plusSeconds(i), aPushTask().build()));

    TaskPage first = store.tasks().list(new TaskQuery(null, null, null, 2, null));
    TaskPage second = store.tasks().list(new TaskQuery(null, null, null, 2, first.nextCursor()));
    TaskPage last = store.tasks().list(new TaskQuery(null, null, null, 2, second.nextCursor()));

    assertThat(ids(first.tasks())).containsExactly(created.get(4), created.get(3));
    assertThat(first.nextCursor()).isEqualTo(created.get(3));
    assertThat(ids(second.tasks())).containsExactly(created.get(2), created.get(1));
    assertThat(ids(last.tasks())).containsExactly(created.get(0));
    assertThat(last.nextCursor()).isNull();
  }

  @Test
  void a_page_that_ends_exactly_at_the_last_task_has_no_cursor() {
    for (int i = 0; i < 4; i++) create(T0, aPushTask().build());

    TaskPage first = store.tasks().list(new TaskQuery(null, null, null, 2, null));
    TaskPage second = store.tasks().list(new TaskQuery(null, null, null, 2, first.nextCursor()));

    assertThat(second.tasks()).hasSize(2);
    assertThat(second.nextCursor()).isNull();
    assertThat(store.tasks().list(new TaskQuery(null, null, null, 4, null)).nextCursor()).isNull();
  }

  @Test
  void list_filters_by_queue_status_and_schedule() {
    TaskId emailA = create(T0, aPushTask().queue("emails").build());
    TaskId emailB = create(T0, aPushTask().queue("emails").scheduleName("digest").build());
    TaskId video = create(T0, aPushTask().queue("videos").scheduleName("digest").build());
    store.actions().cancel(emailA, T0);

    assertThat(ids(store.tasks().list(new TaskQuery("emails", null, null, 50, null)).tasks()))
        .containsExactly(emailB, emailA);
    assertThat(
            ids(store.tasks().list(new TaskQuery(null, TaskStatus.QUEUED, null, 50, null)).tasks()))
        .containsExactly(video, emailB);
    assertThat(
            ids(
                store
                    .tasks()
                    .list(new TaskQuery("emails", TaskStatus.CANCELLED, null, 50, null))
                    .tasks()))
        .containsExactly(emailA);
    assertThat(
            ids(
                store
                    .tasks()
                    .list(new TaskQuery("videos", TaskStatus.CANCELLED, null, 50, null))
                    .tasks()))
        .isEmpty();
    assertThat(ids(store.tasks().list(new TaskQuery(null, null, "digest", 50, null)).tasks()))
        .containsExactly(video, emailB);
    assertThat(store.tasks().list(new TaskQuery("nobody", null, null, 50, null)))
        .isEqualTo(new TaskPage(List.of(), null));
  }
}
