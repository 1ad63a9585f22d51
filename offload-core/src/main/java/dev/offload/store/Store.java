package dev.offload.store;

import dev.offload.task.Attempt;
import dev.offload.task.Task;
import dev.offload.task.TaskEvent;
import dev.offload.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable task storage. Every method is one transaction; a method that returns has committed.
 * Implementations are safe for concurrent use, also by several nodes on one database.
 */
public interface Store extends AutoCloseable {
  /**
   * Creates the batches in one transaction (group commit), each all-or-nothing: a batch whose
   * idempotency key is held by a different request hash creates nothing; a key held by the same
   * hash within its time-to-live replays the original task.
   */
  List<CreateResult> create(List<TaskBatch> batches, Instant now, Duration idempotencyTtl);

  Optional<Task> find(TaskId id);

  TaskPage list(TaskQuery query);

  List<Attempt> attempts(TaskId id);

  /**
   * Leases up to {@code max} ready push tasks to {@code node} until {@code now + lease}, within
   * the limits of their queues and concurrency keys; first promotes the tasks due at {@code now}
   * to {@code queued}. Queues take turns; within a queue, tasks go in order of due time less
   * their priority's head start. Each
   * returned task is {@code running} with its attempt count already raised to the number of the
   * attempt it is leased for.
   */
  List<Task> claimDue(String node, Instant now, int max, Duration lease);

  /**
   * When the next push task can be claimed or any waiting task becomes due (to be promoted), if
   * any is waiting; tasks that queue limits hold back
   * ({@link QueueStore}) count from when they may start, or not at all while only a finished task
   * or a settings change can free them.
   */
  Optional<Instant> nextDueAt(Instant now);

  /**
   * Records attempts and applies their transitions; returns the tasks whose transition applied
   * (the others had been cancelled or had lost their lease meanwhile).
   */
  List<TaskId> finish(List<FinishedAttempt> attempts);

  /**
   * Leases ready pull tasks to a worker, in the order of {@link #claimDue}, within the limits of
   * their queues and concurrency keys; each returned task is {@code running}
   * with its attempt count raised and its own lease token in {@code leaseOwner}.
   */
  List<Task> leasePullTasks(PullClaim claim);

  /** When the next pull task can be leased, if any is waiting; queue limits count as in {@link #nextDueAt}. */
  Optional<Instant> nextPullDueAt(Instant now);

  /**
   * Extends a worker's lease to {@code now + leaseFor} (never past the attempt's timeout) and
   * stores {@code progressJson} unless it is null. {@code WrongState} when the task is not running
   * under {@code leaseToken} or its attempt ran out of time.
   */
  default ActionResult renewPullLease(TaskId id, String leaseToken, Instant now, Duration leaseFor, String progressJson) {
    return renewPullLeases(List.of(new LeaseRenewal(id, leaseToken, progressJson)), now, leaseFor).getFirst();
  }

  /** {@link #renewPullLease} for many tasks in one transaction; one result per renewal, in order. */
  List<ActionResult> renewPullLeases(List<LeaseRenewal> renewals, Instant now, Duration leaseFor);

  /**
   * Puts a task a worker holds under {@code leaseToken} back to {@code queued}, due at {@code now},
   * without counting the attempt against its retries (the worker gave it up; it did not fail).
   * {@code WrongState} when the task is not running under that token or its attempt ran out of time.
   */
  ActionResult releasePullLease(TaskId id, String leaseToken, Instant now);

  /** Extends every lease {@code node} holds to {@code until}; one statement. */
  int renewLeases(String node, Instant until);

  /**
   * Puts every task {@code node} is running back to {@code queued} at once, without counting the
   * interrupted attempt against its retries (a graceful stop, not a failure).
   */
  int releaseLeases(String node, Instant now);

  /** Running tasks whose lease expired before {@code before}, up to {@code max}. */
  List<Task> expiredLeases(Instant before, int max);

  ActionResult cancel(TaskId id, Instant now);

  /** Re-queues a failed or cancelled task with a fresh retry budget. */
  ActionResult retry(TaskId id, Instant now);

  /**
   * Deletes a finished task with its attempts, events and idempotency key; {@code WrongState}
   * (nothing deleted) when the task is not finished.
   */
  ActionResult delete(TaskId id);

  /**
   * One batch of retention, in one short transaction: deletes up to {@code max} finished tasks
   * whose purge time is from {@code from} (epoch ms; 0 for all) to {@code now}, oldest purge time
   * first, with their attempts, events and idempotency keys. A task whose completion webhook still
   * waits to go out stays until it is delivered or given up. Nodes purging at once never delete
   * the same task. A round of batches passes each batch's {@link PurgedBatch#upTo()} to the next.
   */
  PurgedBatch purgeFinished(long from, Instant now, int max);

  /**
   * Gives up to {@code max} tasks that finished before the store had retention their purge time
   * under the current settings, counted from when they finished; returns how many.
   */
  int settlePurgeTimes(int max);

  /** Forgets nodes whose last heartbeat is older than {@code before}; returns how many. */
  int forgetNodes(Instant before);

  /** Sets the progress of an active task, recording a {@code task.progress} event at {@code now}. */
  ActionResult updateProgress(TaskId id, String progressJson, Instant now);

  /**
   * Takes a callback posted to the URL of call number {@code call} ({@code callbackJson} is what that
   * call's await answers with), once; {@link ActionResult.WrongState} when it was spent, belongs to an
   * older call, or the task finished.
   */
  ActionResult postCallback(TaskId id, int call, String callbackJson, Instant now);

  /** When the next pending webhook delivery is due, if any is pending. */
  Optional<Instant> nextWebhookDueAt();

  /** Leases up to {@code max} due webhook deliveries until {@code now + lease}. */
  List<Task> claimDueWebhooks(Instant now, int max, Duration lease);

  void recordWebhook(WebhookResult result);

  /** Records that {@code node} is alive (registering it the first time). */
  void heartbeat(NodeInfo node);

  /** Marks a node as stopped cleanly. */
  void nodeStopped(String nodeId, Instant at);

  /** Nodes that reported after {@code since}, oldest first. */
  List<NodeInfo> nodes(Instant since);

  /**
   * Records pull workers that asked for work, in one transaction: a worker's row takes a sighting
   * only if it is not older than the one it has (nodes save what they saw at their own pace).
   */
  void sawWorkers(List<WorkerInfo> workers);

  /** The {@code max} workers seen last, newest first. */
  List<WorkerInfo> workers(int max);

  /**
   * What each worker holds now: its running pull tasks, counted and the first {@code maxEach}
   * listed, grouped by the worker named in their lease tokens (the text before {@code leaseMark}).
   */
  List<WorkerHolding> workerHoldings(String leaseMark, int maxEach);

  /** Forgets workers last seen before {@code before}; returns how many. */
  int forgetWorkers(Instant before);

  /** Deletes idempotency keys that expired before {@code now}; returns how many. */
  int purgeExpiredKeys(Instant now);

  /** A value kept across restarts, created with {@code initial} the first time it is asked for. */
  String setting(String name, String initial);

  /** Queue settings and figures (flow control). */
  QueueStore queues();

  /** The schedules kept in the same database. */
  ScheduleStore schedules();

  /**
   * Events of {@code query}, oldest first, each with its task as it is now. Every state change
   * writes its event in its own transaction, so the events of a committed change are never missing.
   */
  List<TaskEvent> events(EventQuery query);

  /** The id of the newest event, 0 if there is none. */
  long lastEventId();

  /** Deletes events older than {@code before} and all but the newest {@code keep}; returns how many. */
  int pruneEvents(Instant before, int keep);

  /** Counts of active tasks by queue and status, and the oldest ready task of each queue, at {@code now}. */
  List<QueueDepth> queueDepths(Instant now);

  /** Whether the database answers. */
  boolean isReachable();
}
