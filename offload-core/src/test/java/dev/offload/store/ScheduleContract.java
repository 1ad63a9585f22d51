package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.schedule.CronTickTest;
import dev.offload.schedule.FireResult;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Schedules kept in the store: the records of fired slots are forgotten once old. */
abstract class ScheduleContract extends StoreContract {
  @Test
  void pruning_schedule_runs_forgets_only_the_slots_before_the_cutoff() {
    ScheduleStore schedules = store.schedules();
    Schedule schedule =
        schedules
            .upsert(
                ScheduleDefinition.of(
                    "minutely", "@every 1m", ZoneOffset.UTC, CronTickTest.TEMPLATE),
                T0)
            .schedule();
    Instant first = schedule.nextRunAt();
    Instant second = first.plusSeconds(60);
    assertThat(schedules.fire(schedule, first, second, first)).isInstanceOf(FireResult.Fired.class);
    assertThat(
            schedules.fire(
                schedules.find("minutely").orElseThrow(), second, second.plusSeconds(60), second))
        .isInstanceOf(FireResult.Fired.class);

    assertThat(schedules.pruneRuns(second)).isEqualTo(1);
    assertThat(schedules.pruneRuns(second)).isZero();
    assertThat(schedules.pruneRuns(second.plusMillis(1))).isEqualTo(1);
    assertThat(schedules.find("minutely").orElseThrow().lastTaskId())
        .as("the schedule itself is untouched")
        .isNotNull();
  }
}
