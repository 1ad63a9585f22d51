package dev.offload.store;

import dev.offload.schedule.FireResult;
import dev.offload.schedule.PutResult;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.task.TaskId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable schedules. Every method is one transaction. A slot fires at most once per schedule
 * whatever the number of nodes: {@link #fire} records the slot under a unique (schedule, slot) key
 * in the transaction that creates its task.
 */
public interface ScheduleStore {
  /**
   * Creates or replaces a schedule. Replacing it with an identical definition changes nothing (so
   * nodes upserting the same file at start-up agree); a new cron or time zone, or a resume, moves
   * {@code nextRunAt} to the first slot after {@code now}, otherwise it is kept.
   */
  PutResult upsert(ScheduleDefinition definition, Instant now);

  Optional<Schedule> find(String name);

  /** Every schedule, by name. */
  List<Schedule> list();

  /** Deletes the schedule and its slot records; the tasks it created stay. */
  boolean delete(String name);

  /**
   * Pauses or resumes. A resumed schedule fires from the first slot after {@code now}: slots
   * that fell while it was paused are not caught up.
   */
  Optional<Schedule> setPaused(String name, boolean paused, Instant now);

  /** Unpaused schedules whose {@code nextRunAt} is at or before {@code now}, earliest first. */
  List<Schedule> due(Instant now, int max);

  /** The earliest {@code nextRunAt} of an unpaused schedule. */
  Optional<Instant> nextRunAt();

  /**
   * Fires {@code slot} of {@code schedule} as read (at its {@code version} and {@code nextRunAt})
   * and moves it to {@code nextRunAt}. Nothing happens when the stored schedule moved on meanwhile
   * (another node fired it, or it was changed).
   */
  FireResult fire(Schedule schedule, Instant slot, Instant nextRunAt, Instant now);

  /** Moves a schedule read with {@code from} as its next run to {@code nextRunAt} without firing. */
  boolean advance(String name, Instant from, Instant nextRunAt);

  /**
   * Forgets the records of slots before {@code before} and returns how many. A slot fires only as
   * a schedule's {@code nextRunAt}, which never moves back to a fired slot, so a record is needed
   * only while its slot is recent.
   */
  int pruneRuns(Instant before);

  /** Creates a run of the schedule now, outside its slots; empty if there is no such schedule. */
  Optional<TaskId> trigger(String name, Instant now);
}
