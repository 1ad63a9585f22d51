package dev.offload.client.worker;

/**
 * Runs one pull task. What it returns (any value Jackson can write, or null) becomes the task's
 * result; an exception fails the attempt, which is retried under the task's policy unless it is a
 * {@link NonRetryableException}. When the task is cancelled the handler's thread is interrupted and
 * {@link WorkerTask#isCancelled()} turns true; whatever it does after that is ignored.
 *
 * @param <T> the type the payload is read as
 */
@FunctionalInterface
public interface Handler<T> {
  Object handle(WorkerTask task, T payload) throws Exception;
}
