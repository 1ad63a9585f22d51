package dev.offload.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.store.JdbcStore;
import dev.offload.store.ScheduleStore;
import dev.offload.store.SqliteDialect;
import dev.offload.task.Backoff;
import dev.offload.task.Task;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskStatus;
import dev.offload.testing.SettableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The firing rules on a real SQLite file, with a clock the tests move. */
public class CronTickTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final TaskTemplate TEMPLATE =
      new TaskTemplate(
          "reports",
          URI.create("https://app.example/nightly"),
          "POST",
          Map.of("X-Tenant", "7"),
          "{\"kind\":\"export\"}",
          null,
          2,
          Backoff.DEFAULT,
          Duration.ofMinutes(5),
          null,
          null,
          null,
          1,
          0,
          null,
          10_000);

  @TempDir Path dir;
  private JdbcStore store;
  private ScheduleStore schedules;
  private final SettableClock clock = new SettableClock(T0.plusSeconds(10));
  private CronTick tick;

  @BeforeEach
  void open() {
    store = JdbcStore.open(new SqliteDialect(dir.resolve("offload.db"), false));
    schedules = store.schedules();
    tick = new CronTick(schedules, clock, due -> {});
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private Schedule put(String cron, ZoneId zone, Overlap overlap, CatchUp catchUp) {
    ScheduleDefinition definition =
        ScheduleDefinition.of("nightly", cron, zone, TEMPLATE)
            .withOverlap(overlap)
            .withCatchUp(catchUp);
    return schedules.upsert(definition, clock.instant()).schedule();
  }

  private Schedule put(String cron) {
    return put(cron, ZoneOffset.UTC, Overlap.ALLOW, CatchUp.LATEST);
  }

  private Schedule schedule() {
    return schedules.find("nightly").orElseThrow();
  }

  private List<Task> runs() {
    return store.tasks().list(new TaskQuery(null, null, "nightly", 100, null)).tasks();
  }

  @Test
  void a_new_schedule_waits_for_its_first_slot_then_fires_it_once() {
    Schedule created = put("@every 1m");
    assertThat(created.nextRunAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(tick.tick()).isZero();

    clock.set(T0.plusSeconds(60));
    assertThat(tick.tick()).isEqualTo(1);
    assertThat(tick.tick()).isZero();

    Task run = runs().getFirst();
    assertThat(run.scheduleName()).isEqualTo("nightly");
    assertThat(run.queue()).isEqualTo("reports");
    assertThat(run.callbackUrl()).isEqualTo("https://app.example/nightly");
    assertThat(run.headers()).containsEntry("X-Tenant", "7");
    assertThat(run.body()).isEqualTo("{\"kind\":\"export\"}");
    assertThat(run.maxAttempts()).isEqualTo(3);
    assertThat(run.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(schedule().lastRunAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(schedule().lastTaskId()).isEqualTo(run.id());
    assertThat(schedule().nextRunAt()).isEqualTo(T0.plusSeconds(120));
  }

  @Test
  void two_ticks_sharing_a_store_fire_a_slot_once() {
    put("@every 1m");
    CronTick otherNode = new CronTick(schedules, clock, due -> {});
    Schedule stale = schedule();
    clock.set(T0.plusSeconds(61));

    assertThat(tick.tick()).isEqualTo(1);
    assertThat(otherNode.tick()).isZero();
    assertThat(schedules.fire(stale, T0.plusSeconds(60), T0.plusSeconds(120), clock.instant()))
        .isInstanceOf(FireResult.Lost.class);
    assertThat(runs()).hasSize(1);
  }

  @Test
  void after_downtime_catch_up_latest_fires_only_the_most_recent_missed_slot() {
    put("0 * * * *");
    clock.set(T0.plus(Duration.ofHours(5)).plusSeconds(600));

    assertThat(tick.tick()).isEqualTo(1);

    assertThat(runs()).hasSize(1);
    assertThat(schedule().lastRunAt()).isEqualTo(T0.plus(Duration.ofHours(5)));
    assertThat(schedule().nextRunAt()).isEqualTo(T0.plus(Duration.ofHours(6)));
  }

  @Test
  void after_downtime_catch_up_none_skips_the_missed_slots_and_fires_the_next_on_time() {
    put("0 * * * *", ZoneOffset.UTC, Overlap.ALLOW, CatchUp.NONE);
    clock.set(T0.plus(Duration.ofHours(5)).plusSeconds(600));

    assertThat(tick.tick()).isZero();
    assertThat(schedule().nextRunAt()).isEqualTo(T0.plus(Duration.ofHours(6)));

    clock.set(T0.plus(Duration.ofHours(6)).plusSeconds(30));
    assertThat(tick.tick()).isEqualTo(1);
    assertThat(schedule().lastRunAt()).isEqualTo(T0.plus(Duration.ofHours(6)));
  }

  @Test
  void overlap_skip_skips_slots_while_the_previous_run_is_unfinished() {
    put("@every 1m", ZoneOffset.UTC, Overlap.SKIP, CatchUp.LATEST);
    clock.set(T0.plusSeconds(60));
    assertThat(tick.tick()).isEqualTo(1);

    clock.set(T0.plusSeconds(120));
    assertThat(tick.tick()).isZero();
    assertThat(schedule().nextRunAt()).isEqualTo(T0.plusSeconds(180));

    store.actions().cancel(runs().getFirst().id(), clock.instant());
    clock.set(T0.plusSeconds(180));
    assertThat(tick.tick()).isEqualTo(1);
    assertThat(runs()).hasSize(2);
  }

  @Test
  void overlap_allow_fires_even_while_the_previous_run_is_unfinished() {
    put("@every 1m");
    clock.set(T0.plusSeconds(60));
    tick.tick();
    clock.set(T0.plusSeconds(120));
    assertThat(tick.tick()).isEqualTo(1);
    assertThat(runs()).hasSize(2).allMatch(t -> t.status() == TaskStatus.QUEUED);
  }

  @Test
  void a_paused_schedule_does_not_fire_and_resuming_does_not_replay_the_paused_slots() {
    put("@every 1m");
    schedules.setPaused("nightly", true, clock.instant());
    clock.set(T0.plusSeconds(600));
    assertThat(tick.tick()).isZero();

    clock.set(T0.plusSeconds(610));
    Schedule resumed = schedules.setPaused("nightly", false, clock.instant()).orElseThrow();

    assertThat(resumed.nextRunAt()).isEqualTo(T0.plusSeconds(660));
    assertThat(tick.tick()).isZero();
    clock.set(T0.plusSeconds(660));
    assertThat(tick.tick()).isEqualTo(1);
  }

  @Test
  void a_trigger_creates_a_run_at_once_without_taking_the_next_slot() {
    put("@every 1m");
    clock.set(T0.plusSeconds(59));
    var triggered = schedules.trigger("nightly", clock.instant()).orElseThrow();
    assertThat(schedule().lastTaskId()).isEqualTo(triggered);
    assertThat(schedule().lastRunAt()).isEqualTo(T0.plusSeconds(59));

    clock.set(T0.plusSeconds(60));
    assertThat(tick.tick()).isEqualTo(1);
    assertThat(runs()).hasSize(2);
    assertThat(schedules.trigger("missing", clock.instant())).isEmpty();
  }

  @Test
  void upserting_the_same_definition_again_changes_nothing_so_a_restart_still_catches_up() {
    Schedule first = put("0 * * * *");
    clock.set(T0.plus(Duration.ofHours(3)));

    PutResult again = schedules.upsert(first.definition(), clock.instant());

    assertThat(again.created()).isFalse();
    assertThat(again.schedule().version()).isEqualTo(first.version());
    assertThat(again.schedule().nextRunAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(tick.tick()).isEqualTo(1);
  }

  @Test
  void a_new_cron_moves_the_next_run_and_a_new_template_keeps_it() {
    Schedule first = put("0 * * * *");
    clock.set(T0.plusSeconds(1200));
    ScheduleDefinition otherTask =
        new ScheduleDefinition(
            "nightly",
            first.definition().cron(),
            ZoneOffset.UTC,
            new TaskTemplate(
                "other",
                TEMPLATE.callbackUrl(),
                "PUT",
                Map.of(),
                null,
                null,
                0,
                Backoff.DEFAULT,
                null,
                null,
                null,
                null,
                1,
                0,
                null,
                10_000),
            false,
            Overlap.ALLOW,
            CatchUp.LATEST);

    Schedule changed = schedules.upsert(otherTask, clock.instant()).schedule();
    assertThat(changed.version()).isEqualTo(first.version() + 1);
    assertThat(changed.nextRunAt()).isEqualTo(first.nextRunAt());
    assertThat(changed.definition().task().method()).isEqualTo("PUT");

    Schedule recron = put("*/5 * * * *");
    assertThat(recron.nextRunAt()).isEqualTo(T0.plusSeconds(1500));
  }

  @Test
  void a_berlin_daily_slot_fires_on_each_day_except_the_one_where_it_does_not_exist() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    clock.set(LocalDateTime.parse("2026-03-27T12:00").atZone(berlin).toInstant());
    put("30 2 * * *", berlin, Overlap.ALLOW, CatchUp.LATEST);

    // Each node wakes at the stored next run: follow it for four days.
    Instant end = LocalDateTime.parse("2026-03-31T12:00").atZone(berlin).toInstant();
    while (schedule().nextRunAt().isBefore(end)) {
      clock.set(schedule().nextRunAt());
      tick.tick();
    }

    assertThat(runs().stream().map(t -> t.createdAt().atZone(berlin).toLocalDateTime().toString()))
        .containsExactlyInAnyOrder("2026-03-28T02:30", "2026-03-30T02:30", "2026-03-31T02:30");
  }

  @Test
  void a_daily_slot_in_the_repeated_fall_back_hour_fires_once_in_new_york() {
    ZoneId newYork = ZoneId.of("America/New_York");
    clock.set(LocalDateTime.parse("2026-10-31T23:00").atZone(newYork).toInstant());
    put("30 1 * * *", newYork, Overlap.ALLOW, CatchUp.LATEST);
    Instant end = LocalDateTime.parse("2026-11-01T12:00").atZone(newYork).toInstant();
    while (schedule().nextRunAt().isBefore(end)) {
      clock.set(schedule().nextRunAt());
      tick.tick();
    }
    assertThat(runs())
        .extracting(Task::createdAt)
        .containsExactly(Instant.parse("2026-11-01T05:30:00Z"));
  }
}
