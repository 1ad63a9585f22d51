package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.offload.client.BulkActionView;
import dev.offload.client.BulkFilter;
import dev.offload.client.BulkOperation;
import dev.offload.client.OffloadClient;
import dev.offload.client.OffloadException;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code offload-client}'s bulk-action calls against the real server. */
class BulkActionClientIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private RunningServer server;
  private TestTarget target;
  private OffloadClient client;

  @BeforeEach
  void start() {
    target = new TestTarget();
    server = new RunningServer(dir);
    client = OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    target.close();
  }

  @Test
  void counts_starts_and_awaits_a_retry_of_every_failed_task_of_a_queue_and_they_succeed() {
    target.on("/flaky", Reply.status(400));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(create("/flaky", "imports", 0, Map.of()));
    ids.forEach(
        id -> assertThat(client.tasks().await(id, PATIENCE).status()).isEqualTo(TaskStatus.FAILED));
    target.on("/flaky", Reply.ok("{}"));
    BulkFilter failedImports =
        BulkFilter.builder().queue("imports").status(TaskStatus.FAILED).build();

    long matched = client.bulkActions().count(failedImports);
    BulkActionView started = client.bulkActions().start(BulkOperation.RETRY, failedImports);
    BulkActionView finished = client.bulkActions().awaitFinished(started.actionId(), PATIENCE);

    assertThat(matched).isEqualTo(3);
    assertThat(started.action()).isEqualTo(BulkOperation.RETRY);
    assertThat(started.filter()).isEqualTo(failedImports);
    assertThat(finished.status()).isEqualTo(BulkActionView.Status.SUCCEEDED);
    assertThat(finished.isFinished()).isTrue();
    assertThat(finished.matched()).isEqualTo(3L);
    assertThat(finished.done()).isEqualTo(3);
    assertThat(finished.failed()).isZero();
    assertThat(finished.finishedAt()).isAfterOrEqualTo(finished.createdAt());
    ids.forEach(
        id ->
            assertThat(client.tasks().await(id, PATIENCE).status())
                .isEqualTo(TaskStatus.SUCCEEDED));
    assertThat(client.bulkActions().get(started.actionId())).isEqualTo(finished);
    assertThat(client.bulkActions().list(5))
        .extracting(BulkActionView::actionId)
        .first()
        .isEqualTo(started.actionId());
    OffloadException refused =
        catchThrowableOfType(
            OffloadException.class, () -> client.bulkActions().cancel(started.actionId()));
    assertThat(refused.status()).isEqualTo(409);
  }

  @Test
  void cancels_unfinished_tasks_deletes_finished_ones_and_counts_the_others_as_failed() {
    target.on("/now", Reply.ok("{}"));
    List<String> later = new ArrayList<>();
    for (int i = 0; i < 2; i++) later.add(createLater("/later", Map.of("batch", "b1")));
    String done = create("/now", "reports", 3, Map.of("batch", "b1"));
    client.tasks().await(done, PATIENCE);
    BulkFilter batch = BulkFilter.builder().queue("reports").metadata("batch", "b1").build();

    BulkActionView cancelled =
        client
            .bulkActions()
            .awaitFinished(
                client.bulkActions().start(BulkOperation.CANCEL, batch).actionId(), PATIENCE);
    BulkActionView deleted =
        client
            .bulkActions()
            .awaitFinished(
                client
                    .bulkActions()
                    .start(
                        BulkOperation.DELETE,
                        BulkFilter.builder()
                            .queue("reports")
                            .createdAfter(Instant.now().minus(Duration.ofHours(1)))
                            .build())
                    .actionId(),
                PATIENCE);

    assertThat(List.of(cancelled.matched(), cancelled.done(), cancelled.failed()))
        .containsExactly(3L, 2L, 1L);
    assertThat(List.of(deleted.matched(), deleted.done(), deleted.failed()))
        .containsExactly(3L, 3L, 0L);
    for (String id : List.of(later.get(0), later.get(1), done)) {
      OffloadException gone =
          catchThrowableOfType(OffloadException.class, () -> client.tasks().get(id));
      assertThat(gone.status()).isEqualTo(404);
    }
  }

  @Test
  void a_bad_filter_field_is_a_400_naming_it_and_an_unknown_action_a_404() {
    OffloadException bad =
        catchThrowableOfType(
            OffloadException.class,
            () -> client.bulkActions().count(BulkFilter.builder().queue("not a queue!").build()));
    OffloadException unknown =
        catchThrowableOfType(
            OffloadException.class, () -> client.bulkActions().get("bulk_01NOTHING"));

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errors()).extracting(e -> e.field()).contains("filter.queue");
    assertThat(unknown.status()).isEqualTo(404);
  }

  private String create(String path, String queue, int retries, Map<String, String> metadata) {
    return client
        .tasks()
        .create(
            TaskRequest.builder()
                .callbackUrl(target.url(path))
                .queue(queue)
                .retries(retries)
                .metadata(metadata)
                .build())
        .taskId();
  }

  private String createLater(String path, Map<String, String> metadata) {
    return client
        .tasks()
        .create(
            TaskRequest.builder()
                .callbackUrl(target.url(path))
                .queue("reports")
                .delay(Duration.ofHours(1))
                .metadata(metadata)
                .build())
        .taskId();
  }
}
