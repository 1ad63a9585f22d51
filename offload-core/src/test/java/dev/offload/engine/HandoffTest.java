package dev.offload.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HandoffTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final List<Integer> written = Collections.synchronizedList(new ArrayList<>());
  private final List<String> writtenBy = Collections.synchronizedList(new ArrayList<>());

  private Handoff<Integer> handoff(int capacity, Consumer<List<Integer>> before) {
    Handoff<Integer> handoff =
        new Handoff<>(
            "test-handoff",
            capacity,
            Duration.ofMillis(1),
            batch -> {
              before.accept(batch);
              written.addAll(batch);
              batch.forEach(item -> writtenBy.add(Thread.currentThread().getName()));
            });
    handoff.start();
    return handoff;
  }

  private static List<Integer> upTo(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  @Test
  void items_come_out_in_the_order_they_were_handed_over_on_the_writer_thread() {
    try (Handoff<Integer> handoff = handoff(64, batch -> {})) {
      upTo(20_000).forEach(handoff::add);
      await().atMost(DEADLINE).until(() -> written.size() == 20_000);
    }
    assertThat(written).isEqualTo(upTo(20_000));
    assertThat(writtenBy).containsOnly("test-handoff");
  }

  @Test
  void each_callers_items_keep_their_order_when_many_hand_over_at_once()
      throws InterruptedException {
    try (Handoff<Integer> handoff = handoff(16, batch -> {})) {
      List<Thread> callers =
          IntStream.range(0, 4)
              .mapToObj(
                  caller ->
                      Thread.ofPlatform()
                          .start(
                              () -> {
                                for (int i = 0; i < 5_000; i++) handoff.add(caller * 1_000_000 + i);
                              }))
              .toList();
      for (Thread caller : callers) caller.join();
    }
    assertThat(written).hasSize(20_000);
    for (int caller = 0; caller < 4; caller++) {
      int from = caller * 1_000_000;
      assertThat(
              written.stream()
                  .filter(i -> i >= from && i < from + 1_000_000)
                  .map(i -> i - from)
                  .toList())
          .isEqualTo(upTo(5_000));
    }
  }

  @Test
  void a_full_queue_makes_the_caller_wait_and_loses_nothing() throws InterruptedException {
    CountDownLatch writerHeld = new CountDownLatch(1);
    AtomicInteger heldBatch = new AtomicInteger(-1);
    AtomicInteger handedOver = new AtomicInteger();
    try (Handoff<Integer> handoff =
        handoff(
            4,
            batch -> {
              heldBatch.compareAndSet(-1, batch.size());
              awaitQuietly(writerHeld);
            })) {
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () ->
                      upTo(100)
                          .forEach(
                              i -> {
                                handoff.add(i);
                                handedOver.incrementAndGet();
                              }));

      // the writer holds its first batch and four more fill the queue: the next add waits for room
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  heldBatch.get() > 0
                      && handedOver.get() == heldBatch.get() + 4
                      && caller.getState() == Thread.State.WAITING);
      assertThat(written).isEmpty();

      writerHeld.countDown();
      caller.join(DEADLINE.toMillis());
      assertThat(caller.isAlive()).isFalse();
    }
    assertThat(written).isEqualTo(upTo(100));
  }

  @Test
  void close_writes_everything_handed_over_before_it_returns() throws InterruptedException {
    CountDownLatch writerHeld = new CountDownLatch(1);
    Handoff<Integer> handoff = handoff(64, batch -> awaitQuietly(writerHeld));
    upTo(50).forEach(handoff::add);
    Thread closer = Thread.ofPlatform().start(handoff::close);

    await().atMost(DEADLINE).until(() -> closer.getState() == Thread.State.WAITING);
    assertThat(written).isEmpty();
    writerHeld.countDown();
    closer.join(DEADLINE.toMillis());

    assertThat(closer.isAlive()).isFalse();
    assertThat(written).isEqualTo(upTo(50));
  }

  @Test
  void an_item_handed_over_after_close_is_written_by_the_caller_and_close_twice_is_harmless() {
    Handoff<Integer> handoff = handoff(4, batch -> {});
    handoff.add(1);
    handoff.close();

    handoff.add(2);
    handoff.close();

    assertThat(written).containsExactly(1, 2);
    assertThat(writtenBy).containsExactly("test-handoff", Thread.currentThread().getName());
  }

  @Test
  void a_failing_write_does_not_stop_the_writer() {
    AtomicInteger batches = new AtomicInteger();
    try (Handoff<Integer> handoff =
        handoff(
            4,
            batch -> {
              if (batches.incrementAndGet() == 1)
                throw new IllegalStateException("appender broken");
            })) {
      handoff.add(1);
      await().atMost(DEADLINE).until(() -> batches.get() == 1);
      handoff.add(2);
      await().atMost(DEADLINE).until(() -> written.contains(2));
    }
    assertThat(written).containsExactly(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
