package dev.offload.client.worker;

import dev.offload.client.HeldLease;
import dev.offload.client.LeaseRequest;
import dev.offload.client.LeaseState;
import dev.offload.client.LeasedTask;
import dev.offload.client.OffloadClient;
import dev.offload.client.OffloadException;
import dev.offload.client.Workers;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A pull worker: leases tasks of the names it handles, runs each handler on its own virtual thread
 * (at most {@code concurrency} at once), sends heartbeats while a handler runs, and completes or
 * fails the task with what the handler returned or threw. It leases only as many tasks as it has
 * free slots, so a task never waits inside a busy worker while another worker is idle.
 *
 * <pre>{@code
 * OffloadWorker worker = OffloadWorker.builder(client).concurrency(32).build()
 *     .handle("send-email", Email.class, (task, email) -> mailer.send(email))
 *     .start();
 * ...
 * worker.close();   // stop leasing, let running handlers finish (30 s), release the rest
 * }</pre>
 *
 * <p>A process that only runs the worker calls {@link #runUntilStopped()} on its main thread.
 *
 * <p>Cancellation: when a running task is cancelled, the next heartbeat hears it, the handler's
 * thread is interrupted and {@link WorkerTask#isCancelled()} turns true. A worker that dies stops
 * sending heartbeats; its leases expire and the tasks are retried by other workers.
 */
public final class OffloadWorker implements AutoCloseable {
  private static final System.Logger log = System.getLogger(OffloadWorker.class.getName());
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  /** The most leases one heartbeat request carries (the server's limit). */
  private static final int MAX_HEARTBEAT = 1_000;

  private final Workers api;
  private final Settings settings;
  private final Semaphore slots;
  private final Map<String, Dispatch<?>> handlers = new ConcurrentHashMap<>();
  private final Set<WorkerTask> running = ConcurrentHashMap.newKeySet();
  private final TaskRunner runner;
  private volatile boolean leasing;
  private Thread leaseLoop;
  private Thread heartbeatLoop;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Settings fixed at build time. */
  record Settings(
      String workerId,
      List<String> queues,
      int concurrency,
      Duration leaseFor,
      Duration heartbeatEvery,
      Duration waitFor) {}

  /** A handler and the payload type it reads. */
  record Dispatch<T>(Class<T> type, Handler<T> handler) {}

  private OffloadWorker(Workers api, Settings settings) {
    this.api = api;
    this.settings = settings;
    this.slots = new Semaphore(settings.concurrency());
    this.runner = new TaskRunner(api);
  }

  public static Builder builder(OffloadClient client) {
    return new Builder(client);
  }

  /**
   * Runs tasks named {@code name} with {@code handler}, reading their payload as {@code
   * payloadType}.
   */
  public <T> OffloadWorker handle(String name, Class<T> payloadType, Handler<T> handler) {
    Objects.requireNonNull(name, "name");
    if (leasing) throw new IllegalStateException("register handlers before start()");
    if (handlers.putIfAbsent(
            name,
            new Dispatch<>(
                Objects.requireNonNull(payloadType, "payloadType"),
                Objects.requireNonNull(handler, "handler")))
        != null) {
      throw new IllegalArgumentException("a handler for \"" + name + "\" is registered already");
    }
    return this;
  }

  /** Starts leasing and running tasks in the background. */
  public synchronized OffloadWorker start() {
    if (handlers.isEmpty())
      throw new IllegalStateException("register at least one handler before start()");
    if (leaseLoop != null) throw new IllegalStateException("the worker was started already");
    leasing = true;
    leaseLoop = Thread.ofVirtual().name("offload-worker-lease").start(this::leaseLoop);
    heartbeatLoop = Thread.ofVirtual().name("offload-worker-heartbeat").start(this::heartbeatLoop);
    return this;
  }

  /**
   * Starts the worker when it is not started yet and blocks until it is stopped: by {@link #stop}
   * or {@link #close} from another thread, or by Ctrl-C or SIGTERM, which stop it as {@link #close}
   * does (running handlers get 30 s to finish). The way to run a worker process's main thread: the
   * worker's own threads are virtual, so they do not keep the JVM alive by themselves.
   */
  public void runUntilStopped() throws InterruptedException {
    synchronized (this) {
      if (leaseLoop == null) start();
    }
    Thread hook = new Thread(this::close, "offload-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is what stopped the worker, and it finishes by itself
      }
    }
  }

  /** Tasks whose handler is running now. */
  public int runningCount() {
    return running.size();
  }

  private void leaseLoop() {
    List<String> names = List.copyOf(handlers.keySet());
    long backoffMs = 100;
    while (leasing) {
      int free = 0;
      try {
        // Not acquire(): stop() never interrupts this loop (see stop), so it looks at leasing now
        // and then.
        if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
        free = 1 + drainUpTo(Math.min(99, settings.concurrency() - 1));
        List<LeasedTask> tasks =
            api.lease(
                new LeaseRequest(
                    settings.workerId(),
                    settings.queues(),
                    names,
                    free,
                    settings.waitFor(),
                    settings.leaseFor()));
        if (!leasing) {
          tasks.forEach(task -> runner.release(task.taskId(), task.leaseToken()));
          return;
        }
        for (LeasedTask task : tasks) {
          start(task);
          free--;
        }
        backoffMs = 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (OffloadException e) {
        if (!leasing) return;
        log.log(
            Level.WARNING,
            "cannot lease tasks, trying again in {0}ms: {1}",
            backoffMs,
            e.getMessage());
        sleepWhileLeasing(backoffMs);
        backoffMs = Math.min(30_000, backoffMs * 2);
      } finally {
        slots.release(free);
      }
    }
  }

  private int drainUpTo(int most) {
    int got = 0;
    while (got < most && slots.tryAcquire()) got++;
    return got;
  }

  private void start(LeasedTask leased) {
    // The task takes over one of the slots the lease loop holds, and gives it back when it ends.
    WorkerTask task = new WorkerTask(leased, api, settings.leaseFor());
    running.add(task);
    Thread.ofVirtual()
        .name("offload-task-" + leased.taskId())
        .start(
            () -> {
              try {
                task.runOn(Thread.currentThread());
                runner.run(task, handlers.get(leased.name()));
              } finally {
                running.remove(task);
                slots.release();
              }
            });
  }

  private void heartbeatLoop() {
    while (leasing || !running.isEmpty()) {
      try {
        Thread.sleep(settings.heartbeatEvery());
      } catch (InterruptedException e) {
        return;
      }
      List<WorkerTask> held = running.stream().filter(task -> !task.isCancelled()).toList();
      for (int from = 0; from < held.size(); from += MAX_HEARTBEAT) {
        heartbeat(held.subList(from, Math.min(held.size(), from + MAX_HEARTBEAT)));
      }
    }
  }

  /**
   * One heartbeat for the given tasks; a task the server says is cancelled or no longer ours is
   * interrupted.
   */
  private void heartbeat(List<WorkerTask> tasks) {
    List<LeaseState> states;
    try {
      states =
          api.heartbeat(
              tasks.stream().map(t -> new HeldLease(t.taskId(), t.leaseToken(), null)).toList(),
              settings.leaseFor());
    } catch (OffloadException e) {
      log.log(
          Level.WARNING,
          "heartbeat of {0} tasks failed, trying again: {1}",
          tasks.size(),
          e.getMessage());
      return;
    }
    for (int i = 0; i < states.size() && i < tasks.size(); i++) {
      LeaseState state = states.get(i);
      // A task that finished while the heartbeat was under way is not news.
      if (!state.stop() || !running.contains(tasks.get(i))) continue;
      log.log(
          Level.INFO,
          "task {0} is {1}; interrupting its handler{2}",
          state.taskId(),
          state.outcome(),
          state.detail() == null ? "" : ": " + state.detail());
      tasks.get(i).cancel();
    }
  }

  /**
   * Stops leasing, lets running handlers finish for up to {@code grace}, then interrupts the rest
   * and releases their tasks, so they run again elsewhere at once (instead of after their lease
   * expires) without the interrupted attempt counting against their retries. Returns once the lease
   * request in flight has ended too (within {@link Builder#waitFor}).
   */
  public void stop(Duration grace) throws InterruptedException {
    Thread loop;
    synchronized (this) {
      loop = leaseLoop;
      if (loop == null || !leasing) return;
      leasing = false;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (!running.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    List<WorkerTask> left = new ArrayList<>(running);
    for (WorkerTask task : left) {
      task.cancel();
      runner.release(task.taskId(), task.leaseToken());
    }
    while (!running.isEmpty() && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(5))
      Thread.sleep(20);
    // An interrupted lease request would go on waiting on the server and lease tasks to nobody:
    // the loop lets it run out (within waitFor) and releases what it brings.
    loop.join(settings.waitFor().plusSeconds(10).toMillis());
    heartbeatLoop.interrupt();
    stopped.countDown();
  }

  /** {@link #stop(Duration)} with a 30 s grace. */
  @Override
  public void close() {
    try {
      stop(DEFAULT_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleepWhileLeasing(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      while (leasing && System.nanoTime() < deadline) Thread.sleep(Math.min(100, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Settings of a worker; every one has a default. */
  public static final class Builder {
    private final OffloadClient client;
    private String workerId = defaultWorkerId();
    private List<String> queues = List.of();
    private int concurrency = 10;
    private Duration leaseFor = LeaseRequest.DEFAULT_LEASE;
    private Duration heartbeatEvery;
    private Duration waitFor = LeaseRequest.DEFAULT_WAIT;

    private Builder(OffloadClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    private static String defaultWorkerId() {
      String host =
          System.getenv().getOrDefault("HOSTNAME", "worker").replaceAll("[^A-Za-z0-9._-]", "-");
      return (host.isEmpty() ? "worker" : host) + "-" + ProcessHandle.current().pid();
    }

    /** Names this worker in the attempts it runs (default: host name and process id). */
    public Builder workerId(String workerId) {
      this.workerId = Objects.requireNonNull(workerId, "workerId");
      return this;
    }

    /** Only tasks of these queues (default: any queue). */
    public Builder queues(String... queues) {
      this.queues = List.of(queues);
      return this;
    }

    /** How many handlers run at once (default 10). */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1)
        throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How long a lease lasts without a heartbeat (default 60 s, 1 s to 1 h): a worker that dies
     * loses its tasks to other workers this long after its last heartbeat.
     */
    public Builder leaseFor(Duration leaseFor) {
      this.leaseFor = Objects.requireNonNull(leaseFor, "leaseFor");
      return this;
    }

    /** How often running tasks send heartbeats (default a third of {@link #leaseFor}). */
    public Builder heartbeatEvery(Duration heartbeatEvery) {
      this.heartbeatEvery = Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
      return this;
    }

    /** How long one lease request waits for work on the server (default 20 s). */
    public Builder waitFor(Duration waitFor) {
      this.waitFor = Objects.requireNonNull(waitFor, "waitFor");
      return this;
    }

    public OffloadWorker build() {
      Duration every = heartbeatEvery == null ? leaseFor.dividedBy(3) : heartbeatEvery;
      if (every.compareTo(leaseFor) >= 0 || every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException(
            "heartbeatEvery must be positive and shorter than leaseFor ("
                + leaseFor
                + "), got "
                + every);
      }
      // Checks workerId, leaseFor and waitFor the way the server will.
      new LeaseRequest(workerId, queues, List.of(), 1, waitFor, leaseFor);
      return new OffloadWorker(
          client.workers(), new Settings(workerId, queues, concurrency, leaseFor, every, waitFor));
    }
  }
}
