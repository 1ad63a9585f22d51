package dev.offload.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one store: shared SQL over a {@link Dialect}, opened once per process and handed out by role,
 * each role to the parts of the engine that need it. Every method of a role is one transaction (a
 * method that returns has committed) and safe for concurrent use, also by several nodes on one
 * database.
 */
public final class JdbcStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
  private final Database database;
  private final TaskInserts inserts;
  private final TaskReads tasks;
  private final TaskActions actions;
  private final PushClaims pushClaims;
  private final PullLeases pullLeases;
  private final Completion completion;
  private final Webhooks webhooks;
  private final Nodes nodes;
  private final WorkerSightings workers;
  private final Purges purges;
  private final EventLog events;
  private final QueueStore queues;
  private final ScheduleStore schedules;
  private final Settings settings;
  private final BulkActions bulk;

  private JdbcStore(Database database, RetentionDefaults retention) {
    this.database = database;
    PurgeTimes purgeTimes = new PurgeTimes(retention);
    FlowControl flow = new FlowControl(database);
    QueueClaims claims = new QueueClaims(database, flow);
    this.inserts = new TaskInserts(database, flow);
    this.tasks = new TaskReads(database);
    this.actions = new TaskActions(database, purgeTimes);
    this.pushClaims = new PushClaims(database, claims);
    this.pullLeases = new PullLeases(database, claims);
    this.completion = new FinishedAttempts(database, purgeTimes);
    this.webhooks = new WebhookRows(database);
    this.nodes = new Nodes(database);
    this.workers = new WorkerRows(database);
    this.purges = new Purges(database, purgeTimes);
    this.events = new EventLog(database);
    this.queues = new QueueStore(database, flow);
    this.schedules = new ScheduleStore(database);
    this.settings = new Settings(database);
    this.bulk = new BulkActions(database, actions);
  }

  /** Opens the store with the default retentions and brings its schema up to date. */
  public static JdbcStore open(Dialect dialect) {
    return open(dialect, RetentionDefaults.DEFAULT);
  }

  /**
   * Opens the store and brings its schema up to date; tasks finishing through it are kept as {@code
   * retention} says unless they or their queue say otherwise.
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
    String misconfiguration = database.read("check the database", dialect::misconfiguration);
    if (misconfiguration != null) log.warn(misconfiguration);
    return new JdbcStore(database, retention);
  }

  public Dialect dialect() {
    return database.dialect();
  }

  /** Creating tasks (the intake's group commit) and forgetting their expired idempotency keys. */
  public TaskInserts inserts() {
    return inserts;
  }

  /** Reading tasks and their attempts. */
  public TaskReads tasks() {
    return tasks;
  }

  /** Cancel, retry, progress, delete, callbacks. */
  public TaskActions actions() {
    return actions;
  }

  /** Claims and leases of push tasks, by nodes. */
  public PushClaims pushClaims() {
    return pushClaims;
  }

  /** Leases of pull tasks, by workers. */
  public PullLeases pullLeases() {
    return pullLeases;
  }

  /** Finished attempts, push and pull. */
  public Completion completion() {
    return completion;
  }

  /** Completion webhooks waiting to go out. */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** The nodes sharing the store. */
  public Nodes nodes() {
    return nodes;
  }

  /** The pull workers that asked for work lately, and what each holds. */
  public WorkerSightings workers() {
    return workers;
  }

  /** Retention: finished tasks past their purge time, silent nodes and workers. */
  public Purges purges() {
    return purges;
  }

  /** Task events for live streams. */
  public EventLog events() {
    return events;
  }

  /** Queue settings and figures (flow control). */
  public QueueStore queues() {
    return queues;
  }

  /** The schedules kept in the same database. */
  public ScheduleStore schedules() {
    return schedules;
  }

  /** Bulk actions: retry, cancel or delete every task a filter matches, batch by batch. */
  public BulkActions bulk() {
    return bulk;
  }

  /** Values kept across restarts. */
  public Settings settings() {
    return settings;
  }

  /** Runs the dialect's periodic maintenance (SQLite: WAL checkpoints); no-op otherwise. */
  public void maintain() {
    Dialect dialect = database.dialect();
    if (database.read("maintenance", dialect::maintain)) {
      database.betweenWrites(
          "maintenance between writes",
          c -> {
            dialect.maintainBetweenWrites(c);
            return null;
          });
    }
  }

  /** Whether the database answers. */
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
