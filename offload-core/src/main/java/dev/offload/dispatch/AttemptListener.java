package dev.offload.dispatch;

import dev.offload.store.FinishedAttempt;
import java.util.List;

/** Told, after commit, which finished attempts changed their task's state. */
@FunctionalInterface
public interface AttemptListener {
  void applied(List<FinishedAttempt> attempts);
}
