package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.Backoff;
import dev.offload.task.Continuation;
import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.Created;
import dev.offload.task.CreateResult.CreatedTask;
import dev.offload.task.CreateResult.KeyConflict;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskStatus;
import dev.offload.task.WebhookState;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Creating tasks: every field kept, due times, and idempotency keys within a batch, a commit and
 * across commits.
 */
abstract class InsertContract extends StoreContract {
  @Test
  void creates_and_finds_a_push_task_with_every_field() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer abc");
    headers.put("X-Trace", "t-1");
    Backoff backoff =
        new Backoff(Backoff.Type.LINEAR, Duration.ofSeconds(2), Duration.ofMinutes(10), 1.5, false);
    NewTask task =
        NewTask.builder()
            .queue("videos")
            .callbackUrl("https://video.example/transcode?fmt=mp4")
            .method("PUT")
            .headers(headers)
            .body("<video id=\"7\"/>")
            .contentType("application/xml")
            .retries(5)
            .backoff(backoff)
            .timeout(Duration.ofSeconds(30))
            .webhookUrl(URI.create("https://app.example/on-done"))
            .idempotencyKey("order-1234")
            .requestHash("hash-1")
            .metadata("{\"orderId\":\"1234\"}")
            .scheduleName("nightly")
            .build();

    CreatedTask created = createOne(T0, task);

    assertThat(created).isEqualTo(new CreatedTask(task.id(), TaskStatus.QUEUED, false));
    assertThat(store.tasks().find(task.id()))
        .contains(
            new Task(
                task.id(),
                "videos",
                null,
                "https://video.example/transcode?fmt=mp4",
                "PUT",
                headers,
                "<video id=\"7\"/>",
                "application/xml",
                TaskStatus.QUEUED,
                T0,
                T0,
                null,
                null,
                null,
                0,
                6,
                5,
                backoff,
                Duration.ofSeconds(30),
                null,
                null,
                null,
                null,
                "{\"orderId\":\"1234\"}",
                "nightly",
                "order-1234",
                null,
                new WebhookState("https://app.example/on-done", null, 0, null),
                null,
                null,
                0,
                null,
                null,
                Continuation.NONE));
  }

  @Test
  void creates_and_finds_a_pull_task_with_defaults_and_no_timeout() {
    NewTask task = NewTask.builder().name("resize-image").queue("images").timeout(null).build();

    create(T0, task);

    assertThat(store.tasks().find(task.id()))
        .contains(
            new Task(
                task.id(),
                "images",
                "resize-image",
                null,
                "POST",
                Map.of(),
                null,
                null,
                TaskStatus.QUEUED,
                T0,
                T0,
                null,
                null,
                null,
                0,
                4,
                3,
                Backoff.DEFAULT,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                null,
                null,
                Continuation.NONE));
  }

  @Test
  void find_of_an_unknown_id_is_empty() {
    assertThat(store.tasks().find(TaskId.generate())).isEmpty();
  }

  @Test
  void a_run_at_in_the_past_runs_now() {
    TaskId id = create(T0, aPushTask().runAt(T0.minusSeconds(60)).build());

    assertThat(find(id).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(find(id).runAt()).isEqualTo(T0);
  }

  @Test
  void the_same_key_and_request_replays_the_original_task() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    NewTask again = aKeyedTask("order-1", "hash-a").build();

    CreatedTask replay = createOne(T0.plus(Duration.ofHours(1)), again);

    assertThat(replay).isEqualTo(new CreatedTask(original, TaskStatus.QUEUED, true));
    assertThat(store.tasks().find(again.id())).isEmpty();
  }

  @Test
  void a_replay_reports_the_current_status_of_the_original_task() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    claimOne(NODE_A, T0);

    CreatedTask replay = createOne(T0.plusSeconds(1), aKeyedTask("order-1", "hash-a").build());

    assertThat(replay).isEqualTo(new CreatedTask(original, TaskStatus.RUNNING, true));
  }

  @Test
  void the_same_key_with_a_different_request_is_a_conflict_and_creates_nothing() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    NewTask unkeyed = aPushTask().build();
    NewTask conflicting = aKeyedTask("order-1", "hash-b").build();

    CreateResult result = createBatch(T0.plusSeconds(1), unkeyed, conflicting);

    assertThat(result).isEqualTo(new KeyConflict("order-1", original));
    assertThat(store.tasks().find(unkeyed.id())).isEmpty();
    assertThat(store.tasks().find(conflicting.id())).isEmpty();
  }

  @Test
  void an_expired_key_creates_a_new_task_and_then_replays_that_one() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    Instant afterTtl = T0.plus(KEY_TTL).plusSeconds(1);
    NewTask fresh = aKeyedTask("order-1", "hash-b").build();

    CreatedTask created = createOne(afterTtl, fresh);

    assertThat(created).isEqualTo(new CreatedTask(fresh.id(), TaskStatus.QUEUED, false));
    assertThat(store.tasks().find(original)).isPresent();
    assertThat(createOne(afterTtl.plusSeconds(1), aKeyedTask("order-1", "hash-b").build()))
        .isEqualTo(new CreatedTask(fresh.id(), TaskStatus.QUEUED, true));
  }

  @Test
  void a_batch_of_three_with_one_conflicting_key_creates_none() {
    TaskId holder = create(T0, aKeyedTask("taken", "hash-a").build());
    NewTask first = aPushTask().build();
    NewTask second = aKeyedTask("free", "hash-x").build();
    NewTask third = aKeyedTask("taken", "hash-b").build();

    CreateResult result = createBatch(T0.plusSeconds(1), first, second, third);

    assertThat(result).isEqualTo(new KeyConflict("taken", holder));
    assertThat(store.tasks().find(first.id())).isEmpty();
    assertThat(store.tasks().find(second.id())).isEmpty();
    assertThat(store.tasks().find(third.id())).isEmpty();
    assertThat(createOne(T0.plusSeconds(2), aKeyedTask("free", "hash-y").build()).replayed())
        .as("the key of the rejected batch was not taken")
        .isFalse();
  }

  @Test
  void a_conflicting_batch_does_not_stop_the_other_batches_of_the_same_commit() {
    TaskId holder = create(T0, aKeyedTask("taken", "hash-a").build());
    NewTask before = aPushTask().build();
    NewTask conflicting = aKeyedTask("taken", "hash-b").build();
    NewTask after = aKeyedTask("other", "hash-c").build();

    List<CreateResult> results =
        store
            .inserts()
            .create(
                List.of(TaskBatch.of(before), TaskBatch.of(conflicting), TaskBatch.of(after)),
                T0.plusSeconds(1),
                KEY_TTL);

    assertThat(results)
        .containsExactly(
            new Created(List.of(new CreatedTask(before.id(), TaskStatus.QUEUED, false))),
            new KeyConflict("taken", holder),
            new Created(List.of(new CreatedTask(after.id(), TaskStatus.QUEUED, false))));
    assertThat(store.tasks().find(before.id())).isPresent();
    assertThat(store.tasks().find(conflicting.id())).isEmpty();
    assertThat(store.tasks().find(after.id())).isPresent();
  }

  @Test
  void a_later_batch_of_the_same_commit_replays_an_earlier_one_with_the_same_key() {
    NewTask first = aKeyedTask("order-1", "hash-a").build();
    NewTask second = aKeyedTask("order-1", "hash-a").build();

    List<CreateResult> results =
        store.inserts().create(List.of(TaskBatch.of(first), TaskBatch.of(second)), T0, KEY_TTL);

    assertThat(results)
        .containsExactly(
            new Created(List.of(new CreatedTask(first.id(), TaskStatus.QUEUED, false))),
            new Created(List.of(new CreatedTask(first.id(), TaskStatus.QUEUED, true))));
    assertThat(store.tasks().find(second.id())).isEmpty();
  }

  @Test
  void the_same_key_twice_in_one_batch_replays_the_first_or_conflicts() {
    CreateResult same =
        createBatch(T0, aKeyedTask("k", "hash-a").build(), aKeyedTask("k", "hash-a").build());
    List<CreatedTask> tasks = ((CreateResult.Created) same).tasks();
    assertThat(tasks.get(1).id()).isEqualTo(tasks.get(0).id());
    assertThat(tasks.get(1).replayed()).isTrue();

    CreateResult different =
        createBatch(T0, aKeyedTask("k2", "hash-a").build(), aKeyedTask("k2", "hash-b").build());
    assertThat(different).isInstanceOf(CreateResult.KeyConflict.class);
    assertThat(store.tasks().list(new TaskQuery(null, null, null, 50, null)).tasks()).hasSize(1);
  }

  @Test
  void purge_deletes_only_expired_keys() {
    create(T0, aKeyedTask("old", "h").build());
    create(T0.plus(Duration.ofHours(12)), aKeyedTask("young", "h").build());

    assertThat(store.inserts().purgeExpiredKeys(T0.plus(KEY_TTL).plusSeconds(1))).isEqualTo(1);
    assertThat(
            createOne(T0.plus(KEY_TTL).plusSeconds(2), aKeyedTask("young", "h").build()).replayed())
        .isTrue();
  }
}
