package dev.offload.store;

import dev.offload.task.Attempt;
import dev.offload.task.Task;
import dev.offload.task.TaskEvent;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The one {@link Store}: shared SQL over a {@link Dialect}. */
public final class JdbcStore implements Store {
  private final Database database;
  private final FlowControl flow;
  private final PushClaims push;
  private final PullLeases pull;
  private final WorkerLeaseUpdates workerLeases;
  private final NodeLeases nodeLeases;
  private final WebhookRows webhooks;
  private final TaskActions actions;
  private final ScheduleStore schedules;
  private final QueueStore queues;
  private final PurgeTimes purgeTimes;

  private JdbcStore(Database database, RetentionDefaults retention) {
    this.database = database;
    this.purgeTimes = new PurgeTimes(retention);
    this.flow = new FlowControl(database);
    QueueClaims claims = new QueueClaims(database, flow);
    this.push = new PushClaims(claims);
    this.pull = new PullLeases(database, claims);
    this.workerLeases = new WorkerLeaseUpdates(database);
    this.nodeLeases = new NodeLeases(database);
    this.webhooks = new WebhookRows(database);
    this.actions = new TaskActions(database, purgeTimes);
    this.schedules = new JdbcScheduleStore(database);
    this.queues = new JdbcQueueStore(database, flow);
  }

  /** Opens the store with the default retentions and brings its schema up to date. */
  public static JdbcStore open(Dialect dialect) {
    return open(dialect, RetentionDefaults.DEFAULT);
  }

  /**
   * Opens the store and brings its schema up to date; tasks finishing through it are kept as
   * {@code retention} says unless they or their queue say otherwise.
   */
  public static JdbcStore open(Dialect dialect, RetentionDefaults retention) {
    Database database = new Database(dialect);
    try {
      Migrator.migrate(database);
    } catch (RuntimeException e) {
      try {
        database.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new JdbcStore(database, retention);
  }

  public Dialect dialect() {
    return database.dialect();
  }

  @Override
  public List<CreateResult> create(List<TaskBatch> batches, Instant now, Duration idempotencyTtl) {
    Set<String> keyedQueues = new HashSet<>();
    batches.forEach(b -> b.tasks().stream().filter(t -> t.concurrencyKey() != null).forEach(t -> keyedQueues.add(t.queue())));
    Set<String> withRow = keyedQueues.isEmpty() ? Set.of() : flow.queues();
    List<CreateResult> results = database.write("create tasks", c -> new TaskInserts(c, now, idempotencyTtl, withRow).create(batches));
    if (!withRow.containsAll(keyedQueues)) flow.invalidate();
    return results;
  }

  /**
   * Whether any queue has limits or keyed tasks: then a finished task may make room for another.
   * True when the store cannot tell, since a needless wake-up costs only a claim.
   */
  public boolean hasFlowControl() {
    try {
      return !flow.queues().isEmpty();
    } catch (StoreException e) {
      return true;
    }
  }

  @Override
  public Optional<Task> find(TaskId id) {
    return database.read("find task", c -> TaskRows.find(c, id));
  }

  @Override
  public TaskPage list(TaskQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (query.queue() != null) { sql.append(" AND queue = ?"); args.add(query.queue()); }
    if (query.status() != null) { sql.append(" AND status = ?"); args.add(query.status().wire()); }
    if (query.scheduleName() != null) { sql.append(" AND schedule_name = ?"); args.add(query.scheduleName()); }
    if (query.before() != null) { sql.append(" AND id < ?"); args.add(query.before().value()); }
    sql.append(" ORDER BY id DESC LIMIT ").append(query.limit() + 1);
    List<Task> tasks = database.read("list tasks", c -> {
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) s.setString(i + 1, args.get(i));
        return TaskRows.list(s);
      }
    });
    if (tasks.size() <= query.limit()) return new TaskPage(tasks, null);
    List<Task> page = tasks.subList(0, query.limit());
    return new TaskPage(List.copyOf(page), page.getLast().id());
  }

  @Override
  public List<Attempt> attempts(TaskId id) {
    return database.read("list attempts", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + TaskRows.ATTEMPT_COLUMNS + " FROM attempts WHERE task_id = ? ORDER BY number")) {
        s.setString(1, id.value());
        List<Attempt> attempts = new ArrayList<>();
        try (ResultSet row = s.executeQuery()) {
          while (row.next()) attempts.add(TaskRows.attempt(row));
        }
        return attempts;
      }
    });
  }

  @Override
  public List<Task> claimDue(String node, Instant now, int max, Duration lease) {
    return push.claim(node, now, max, lease);
  }

  @Override
  public Optional<Instant> nextDueAt(Instant now) {
    return push.nextDueAt(now);
  }

  @Override
  public List<Task> leasePullTasks(PullClaim claim) {
    return pull.lease(claim);
  }

  @Override
  public Optional<Instant> nextPullDueAt(Instant now) {
    return pull.nextDueAt(now);
  }

  @Override
  public List<ActionResult> renewPullLeases(List<LeaseRenewal> renewals, Instant now, Duration leaseFor) {
    return workerLeases.renew(renewals, now, leaseFor);
  }

  @Override
  public ActionResult releasePullLease(TaskId id, String leaseToken, Instant now) {
    return workerLeases.release(id, leaseToken, now);
  }

  @Override
  public Optional<Instant> nextWebhookDueAt() {
    return webhooks.nextDueAt();
  }

  @Override
  public List<TaskId> finish(List<FinishedAttempt> attempts) {
    if (attempts.isEmpty()) return List.of();
    return database.write("finish attempts", c -> FinishedAttempts.record(c, attempts, purgeTimes));
  }

  @Override
  public int renewLeases(String node, Instant until) {
    return nodeLeases.renew(node, until);
  }

  @Override
  public int releaseLeases(String node, Instant now) {
    return nodeLeases.release(node, now);
  }

  @Override
  public List<Task> expiredLeases(Instant before, int max) {
    return nodeLeases.expired(before, max);
  }

  @Override
  public ActionResult cancel(TaskId id, Instant now) {
    return actions.cancel(id, now);
  }

  @Override
  public ActionResult retry(TaskId id, Instant now) {
    return actions.retry(id, now);
  }

  @Override
  public ActionResult delete(TaskId id) {
    return actions.delete(id);
  }

  @Override
  public PurgedBatch purgeFinished(long from, Instant now, int max) {
    return database.write("purge finished tasks", c -> TaskDeletes.purgeDue(c, database.dialect(), from, now, max));
  }

  @Override
  public int settlePurgeTimes(int max) {
    return database.write("settle purge times", c -> TaskDeletes.settleUnmarked(c, database.dialect(), purgeTimes, max));
  }

  @Override
  public int forgetNodes(Instant before) {
    return database.write("forget nodes", c -> TaskDeletes.forgetNodes(c, before));
  }

  @Override
  public ActionResult updateProgress(TaskId id, String progressJson, Instant now) {
    return actions.updateProgress(id, progressJson, now);
  }

  @Override
  public ActionResult postCallback(TaskId id, int call, String callbackJson, Instant now) {
    return actions.postCallback(id, call, callbackJson, now);
  }

  @Override
  public List<Task> claimDueWebhooks(Instant now, int max, Duration lease) {
    return webhooks.claimDue(now, max, lease);
  }

  @Override
  public void recordWebhook(WebhookResult result) {
    webhooks.record(result);
  }

  @Override
  public void heartbeat(NodeInfo node) {
    database.write("node heartbeat", c -> NodeRows.heartbeat(c, node));
  }

  @Override
  public void nodeStopped(String nodeId, Instant at) {
    database.write("node stopped", c -> NodeRows.stopped(c, nodeId, at));
  }

  @Override
  public List<NodeInfo> nodes(Instant since) {
    return database.read("list nodes", c -> NodeRows.since(c, since));
  }

  @Override
  public void sawWorkers(List<WorkerInfo> workers) {
    if (!workers.isEmpty()) database.write("save workers", c -> WorkerRows.saw(c, workers));
  }

  @Override
  public List<WorkerInfo> workers(int max) {
    return database.read("list workers", c -> WorkerRows.newest(c, max));
  }

  @Override
  public List<WorkerHolding> workerHoldings(String leaseMark, int maxEach) {
    return database.read("list what workers hold", c -> WorkerRows.holdings(c, database.dialect(), leaseMark, maxEach));
  }

  @Override
  public int forgetWorkers(Instant before) {
    return database.write("forget workers", c -> WorkerRows.forget(c, before));
  }

  @Override
  public int purgeExpiredKeys(Instant now) {
    return database.write("purge idempotency keys", c -> TaskInserts.purgeExpiredKeys(c, now));
  }

  @Override
  public String setting(String name, String initial) {
    return database.write("read setting " + name, c -> Settings.read(c, name, initial));
  }

  /** Runs the dialect's periodic maintenance (SQLite: a passive WAL checkpoint); no-op otherwise. */
  public void maintain() {
    String exclusive = database.dialect().exclusiveMaintenance();
    if (exclusive != null) {
      database.betweenWrites("exclusive maintenance", c -> execute(c, exclusive));
      return;
    }
    String sql = database.dialect().periodicMaintenance();
    if (sql != null) database.read("maintenance", c -> execute(c, sql));
  }

  private static boolean execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.execute(sql);
    }
  }

  /** Forgets the per-minute queue rollup past the longest window any figure reads; returns the rows deleted. */
  public int pruneQueueMinutes(Instant now) {
    long before = QueueMinutes.minuteOf(now.minus(QueueMinutes.KEPT).toEpochMilli());
    return database.write("prune queue minutes", c -> QueueMinutes.prune(c, before));
  }

  @Override
  public QueueStore queues() {
    return queues;
  }

  @Override
  public ScheduleStore schedules() {
    return schedules;
  }

  @Override
  public List<QueueDepth> queueDepths(Instant now) {
    return database.readInIndexOrder("count tasks by queue", c -> QueueDepths.read(c, now));
  }

  @Override
  public List<TaskEvent> events(EventQuery query) {
    return database.read("read events", c -> EventRows.read(c, query));
  }

  @Override
  public long lastEventId() {
    return database.read("read last event id", EventRows::lastId);
  }

  @Override
  public int pruneEvents(Instant before, int keep) {
    return database.write("prune events", c -> EventRows.prune(c, before, keep));
  }

  @Override
  public boolean isReachable() {
    try {
      return database.read("ping", c -> c.isValid(2));
    } catch (StoreException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    database.close();
  }
}
