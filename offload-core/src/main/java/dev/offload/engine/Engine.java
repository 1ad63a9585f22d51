package dev.offload.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.bulk.BulkBatch;
import dev.offload.bulk.BulkVerb;
import dev.offload.cluster.ClusterSignals;
import dev.offload.cluster.NodeInfo;
import dev.offload.dispatch.CommitPace;
import dev.offload.dispatch.Continuations;
import dev.offload.dispatch.Dispatcher;
import dev.offload.dispatch.HttpInvoker;
import dev.offload.dispatch.LeaseKeeper;
import dev.offload.dispatch.WebhookSender;
import dev.offload.event.TaskEvents;
import dev.offload.metrics.QueueGauges;
import dev.offload.metrics.QueueLabels;
import dev.offload.metrics.TaskMetrics;
import dev.offload.schedule.Scheduler;
import dev.offload.sign.CallbackTokens;
import dev.offload.sign.Signer;
import dev.offload.sign.TaskTokens;
import dev.offload.store.JdbcStore;
import dev.offload.task.ActionResult;
import dev.offload.task.Attempt;
import dev.offload.task.CreateResult;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskJson;
import dev.offload.task.TaskPage;
import dev.offload.task.TaskQuery;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Offload engine as a library: accepts tasks, runs them against their targets, retries,
 * delivers webhooks. The HTTP server is a thin layer over this class.
 *
 * <p>Every part with threads of its own has one shape: its constructor only keeps what it is given,
 * {@code start()} starts its threads once, and {@code close()} stops them, idempotent and safe
 * before start. The engine builds {@link Signals} first, then the parts, then starts them in order
 * and closes them in the order that lets each finish its work.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final JdbcStore store;
  private final Clock clock;
  private final TaskTokens tokens;
  private final Continuations continuations;
  private final TaskWaiters waiters = new TaskWaiters();
  private final HttpInvoker invoker;
  private final Dispatcher dispatcher;
  private final LeaseKeeper leases;
  private final WebhookSender webhooks;
  private final TaskIntake intake;
  private final Workers workers;
  private final WorkerRegistry workerRegistry;
  private final Scheduler scheduler;
  private final Queues queues;
  private final ClusterSignals cluster;
  private final EngineConfig config;
  private final NodeInfo node;
  private final TaskEvents events;
  private final Housekeeping housekeeping;
  private final Purger purger;
  private final BulkRunner bulkRunner;
  private final Bulk bulk;
  private final StateLog stateLog = new StateLog();
  private final Signals signals;
  private final Callbacks callbacks;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Engine(EngineConfig config, JdbcStore store, Clock clock, Observability observability) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    QueueLabels queueLabels = new QueueLabels(observability.maxQueueLabels());
    TaskMetrics metrics = new TaskMetrics(observability.registry(), queueLabels);
    QueueGauges gauges =
        new QueueGauges(observability.registry(), store.queues(), clock, queueLabels);
    this.events = new TaskEvents(store.events(), observability.events());
    String nodeId = config.dispatch().nodeId();
    Instant now = clock.instant();
    this.node = new NodeInfo(nodeId, hostName(), config.version(), now, now, null);
    this.cluster = store.dialect().openSignals(nodeId);
    this.signals = new Signals(store.queues(), cluster, events, waiters, metrics, stateLog, clock);
    this.purger =
        new Purger(store.purges(), clock, Purger.BATCH, store.dialect().serializeWrites());
    byte[] tokenKey =
        Base64.getDecoder().decode(store.settings().read("task_token_key", randomKey()));
    this.tokens = new TaskTokens(tokenKey);
    this.continuations = new Continuations(new CallbackTokens(tokenKey), config.maxStateBytes());
    Signer signer = Signer.fromSecrets(config.signingSecrets());
    this.invoker = new HttpInvoker(config.invoker(), clock);
    this.dispatcher =
        new Dispatcher(
            store.pushClaims(),
            store.completion(),
            invoker,
            signer,
            tokens,
            config.dispatch(),
            clock,
            signals,
            continuations,
            signals.claims(),
            signals.calls());
    this.leases =
        new LeaseKeeper(store.pushClaims(), dispatcher, config.dispatch().leaseTimeout(), clock);
    this.webhooks =
        new WebhookSender(
            store.webhooks(),
            invoker,
            signer,
            new TaskJson(new ObjectMapper()),
            config.webhooks(),
            config.dispatch().pollInterval(),
            clock,
            signals.webhooks());
    this.workerRegistry = new WorkerRegistry(store.workers(), clock, nodeId);
    this.workers =
        new Workers(
            store.pullLeases(),
            store.tasks(),
            store.completion(),
            clock,
            config.dispatch().pollInterval(),
            signals.leases(),
            signals::applied,
            signals::workEverywhere,
            workerRegistry);
    this.housekeeping =
        new Housekeeping(
            store,
            clock,
            node,
            gauges,
            observability.gaugeRefresh(),
            observability.events(),
            workerRegistry);
    this.intake =
        new TaskIntake(
            store.inserts(),
            clock,
            config.idempotencyTtl(),
            CommitPace.of(config.dispatch().commitPace()),
            signals);
    this.queues = new Queues(store.queues(), clock, signals::workEverywhere);
    this.scheduler = new Scheduler(store.schedules(), clock, signals::created);
    this.callbacks = new Callbacks(store.actions(), continuations, clock, signals::workEverywhere);
    this.bulkRunner =
        new BulkRunner(
            store.bulk(),
            clock,
            nodeId,
            this::bulkActed,
            BulkRunner.BATCH,
            store.dialect().serializeWrites());
    this.bulk = new Bulk(store.bulk(), clock, bulkRunner::wake);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** Starts an engine on {@code store}; the engine owns the store from here on and closes it. */
  public static Engine start(EngineConfig config, JdbcStore store, Clock clock) {
    return start(config, store, clock, Observability.defaults());
  }

  /**
   * Starts an engine that reports its metrics and events as {@code observability} says. A part that
   * cannot start stops those started before it, and the store.
   */
  public static Engine start(
      EngineConfig config, JdbcStore store, Clock clock, Observability observability) {
    Engine engine = new Engine(config, store, clock, observability);
    try {
      engine.start();
    } catch (RuntimeException e) {
      try {
        engine.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return engine;
  }

  /**
   * Orphans first: on a single node, tasks left running by a dead process go back before the claim
   * loop starts (their finished attempts wait in the dispatcher's completer until it starts).
   */
  private void start() {
    if (store.dialect().singleNode()) {
      int released = leases.releaseAllOrphans();
      if (released > 0) log.info("took back {} tasks left running by a previous process", released);
      if (store.bulk().releaseLeases() > 0)
        log.info("took back bulk actions left running by a previous process");
    }
    store.nodes().heartbeat(node);
    stateLog.start();
    invoker.start();
    events.start();
    webhooks.start();
    intake.start();
    cluster.start(signals);
    dispatcher.start();
    leases.start();
    scheduler.start();
    housekeeping.start();
    purger.start();
    bulkRunner.start();
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Creates a batch; completes after commit. */
  public CompletableFuture<CreateResult> create(TaskBatch batch) {
    return intake.submit(batch);
  }

  public Optional<Task> find(TaskId id) {
    return store.tasks().find(id);
  }

  public TaskPage list(TaskQuery query) {
    return store.tasks().list(query);
  }

  public List<Attempt> attempts(TaskId id) {
    return store.tasks().attempts(id);
  }

  /**
   * Waits up to {@code wait} for the task to reach a terminal state and returns it as it is then
   * (terminal or not); empty if there is no such task.
   */
  public Optional<Task> awaitTerminal(TaskId id, Duration wait) throws InterruptedException {
    CompletableFuture<Void> finished = waiters.register(id);
    try {
      Optional<Task> task = store.tasks().find(id);
      if (task.isEmpty() || task.get().status().isTerminal() || wait.isZero()) return task;
      try {
        finished.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // the deadline passed: answer with the task as it is
      }
      return store.tasks().find(id);
    } finally {
      waiters.unregister(id, finished);
    }
  }

  /**
   * The time of the claim loop's last finished round on this node: every push task due and
   * claimable then was claimed. Empty before the first round.
   */
  public Optional<Instant> lastClaimAt() {
    return dispatcher.lastClaimAt();
  }

  /**
   * How many callers wait on this node for the task to finish ({@link #awaitTerminal}: long polls,
   * {@code Prefer: wait}).
   */
  public int waitingFor(TaskId id) {
    return waiters.count(id);
  }

  public ActionResult cancel(TaskId id) {
    Optional<Task> before = store.tasks().find(id);
    ActionResult result = store.actions().cancel(id, clock.instant());
    if (result instanceof ActionResult.Done done) {
      before.ifPresent(workers::cancelled);
      signals.cancelled(done.task());
    }
    return result;
  }

  public ActionResult retry(TaskId id) {
    ActionResult result = store.actions().retry(id, clock.instant());
    if (result instanceof ActionResult.Done done) signals.retried(done.task());
    return result;
  }

  /** After a batch of a bulk action: what {@link #cancel} and {@link #retry} do after theirs. */
  private void bulkActed(BulkVerb verb, List<BulkBatch.Acted> acted) {
    if (acted.isEmpty()) return;
    List<Task> after = acted.stream().map(BulkBatch.Acted::after).toList();
    switch (verb) {
      case CANCEL -> {
        for (BulkBatch.Acted task : acted)
          if (task.before() != null) workers.cancelled(task.before());
        signals.cancelled(after);
      }
      case RETRY -> signals.retried(after);
      case DELETE -> {}
    }
  }

  /**
   * Deletes a finished task with its attempts, events and result; {@code WrongState} when it is not
   * finished.
   */
  public ActionResult delete(TaskId id) {
    return store.actions().delete(id);
  }

  public ActionResult progress(TaskId id, String progressJson) {
    ActionResult result = store.actions().updateProgress(id, progressJson, clock.instant());
    if (result instanceof ActionResult.Done) signals.progressed();
    return result;
  }

  /** Bulk actions over the tasks a filter matches (design.md: bulk actions). */
  public Bulk bulk() {
    return bulk;
  }

  /** Live task events, for server-sent events. */
  public TaskEvents events() {
    return events;
  }

  /** Pull tasks for workers: lease, heartbeat, complete, fail. */
  public Workers workers() {
    return workers;
  }

  /** Which workers asked for work lately and what each holds now (README: Pull workers). */
  public WorkerRegistry workerRegistry() {
    return workerRegistry;
  }

  /** Queue settings and figures (README: Queues). */
  public Queues queues() {
    return queues;
  }

  /** Cron schedules (README: Schedules). */
  public Scheduler schedules() {
    return scheduler;
  }

  /** Callback URLs of long tasks (README: Long work). */
  public Callbacks callbacks() {
    return callbacks;
  }

  public TaskTokens tokens() {
    return tokens;
  }

  public boolean isStoreReachable() {
    return store.isReachable();
  }

  /** The nodes sharing the store that reported within the last hour, and whether each is alive. */
  public List<NodeStatus> nodes() {
    Instant now = clock.instant();
    Duration lease = config.dispatch().leaseTimeout();
    return store.nodes().since(now.minus(Duration.ofHours(1))).stream()
        .map(
            n ->
                new NodeStatus(
                    n,
                    n.stoppedAt() == null && n.heartbeatAt().isAfter(now.minus(lease)),
                    n.id().equals(node.id())))
        .toList();
  }

  /** A node, whether it is alive, and whether it is the one answering. */
  public record NodeStatus(NodeInfo info, boolean alive, boolean self) {}

  /**
   * Stops taking work, lets calls in flight finish within the shutdown grace, then closes the
   * store; idempotent.
   */
  @Override
  public void close() throws Exception {
    if (!closed.compareAndSet(false, true)) return;
    housekeeping.close();
    purger.close();
    bulkRunner.close();
    workers.close();
    scheduler.close();
    events.close();
    intake.close();
    dispatcher.close();
    cluster.newWork();
    leases.close();
    webhooks.close();
    cluster.close();
    invoker.close();
    stateLog.close();
    try {
      workerRegistry.save();
    } catch (RuntimeException e) {
      log.warn("cannot save the workers seen lately: {}", e.getMessage());
    }
    try {
      store.nodes().stopped(node.id(), clock.instant());
    } catch (RuntimeException e) {
      log.warn("cannot mark node {} stopped: {}", node.id(), e.getMessage());
    }
    store.close();
  }
}
