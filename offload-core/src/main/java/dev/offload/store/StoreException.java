package dev.offload.store;

/** Storage failed (unreachable, constraint broken, bad migration); callers answer 503. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
