package dev.offload.dispatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Pool;

/**
 * A pool of one-call-at-a-time entries that hands out an idle one in constant time. Jetty's pools
 * walk their entries for an idle one, so with every connection busy (a target that holds its calls)
 * each new call walked all of them before opening another: 10,000 calls in flight to one target
 * took some 50 million steps, and the claim thread spent most of W4 there. Here idle entries wait
 * in a stack, the one released last on top (its connection is the least likely to have been closed
 * by the target meanwhile); an entry removed while idle stays in the stack until a taker skips it.
 */
final class IdleFirstPool<P> implements Pool<P> {
  private static final int RESERVED = 0;
  private static final int IDLE = 1;
  private static final int IN_USE = 2;
  private static final int TERMINATED = 3;
  private static final int REMOVED = 4;

  private final int maxSize;
  private final Set<Slot> entries = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedDeque<Slot> idle = new ConcurrentLinkedDeque<>();
  private boolean terminated;

  IdleFirstPool(int maxSize) {
    this.maxSize = maxSize;
  }

  /** Jetty's connection pool over this pool, one call per connection (HTTP/1.1). */
  static AbstractConnectionPool connections(Destination destination, int maxConnections) {
    AbstractConnectionPool pool =
        new AbstractConnectionPool(destination, () -> new IdleFirstPool<>(maxConnections), 1) {};
    pool.setMaximizeConnections(false);
    return pool;
  }

  @Override
  public synchronized Entry<P> reserve() {
    if (terminated || entries.size() >= maxSize) return null;
    Slot slot = new Slot();
    entries.add(slot);
    return slot;
  }

  @Override
  public Entry<P> acquire() {
    for (Slot slot = idle.pollFirst(); slot != null; slot = idle.pollFirst()) {
      if (slot.state.compareAndSet(IDLE, IN_USE)) return slot;
    }
    return null;
  }

  @Override
  public synchronized boolean isTerminated() {
    return terminated;
  }

  @Override
  public Collection<Entry<P>> terminate() {
    List<Slot> copy;
    synchronized (this) {
      terminated = true;
      copy = new ArrayList<>(entries);
      entries.clear();
    }
    idle.clear();
    for (Slot slot : copy) slot.terminate();
    return List.copyOf(copy);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public int getMaxSize() {
    return maxSize;
  }

  @Override
  public Stream<Entry<P>> stream() {
    return entries.stream().map(slot -> slot);
  }

  private final class Slot implements Entry<P> {
    private final AtomicInteger state = new AtomicInteger(RESERVED);
    private volatile P pooled;

    @Override
    public boolean enable(P value, boolean acquire) {
      Objects.requireNonNull(value);
      pooled = value;
      if (state.compareAndSet(RESERVED, acquire ? IN_USE : IDLE)) {
        if (!acquire) idle.offerFirst(this);
        return true;
      }
      pooled = null;
      if (isTerminated()) return false;
      throw new IllegalStateException("entry already enabled " + this);
    }

    @Override
    public P getPooled() {
      return pooled;
    }

    @Override
    public boolean release() {
      if (!state.compareAndSet(IN_USE, IDLE)) return false;
      idle.offerFirst(this);
      return true;
    }

    /** True the first time: the entry leaves the pool whether it was idle, in use or reserved. */
    @Override
    public boolean remove() {
      while (true) {
        int now = state.get();
        if (now == REMOVED) return false;
        if (state.compareAndSet(now, REMOVED)) {
          entries.remove(this);
          return true;
        }
      }
    }

    private void terminate() {
      state.getAndUpdate(now -> now == REMOVED ? REMOVED : TERMINATED);
    }

    @Override
    public boolean isReserved() {
      return state.get() == RESERVED;
    }

    @Override
    public boolean isIdle() {
      return state.get() == IDLE;
    }

    @Override
    public boolean isInUse() {
      return state.get() == IN_USE;
    }

    @Override
    public boolean isTerminated() {
      return state.get() >= TERMINATED;
    }

    @Override
    public String toString() {
      return "IdleFirstPool.Slot[state=" + state.get() + ", pooled=" + pooled + "]";
    }
  }
}
