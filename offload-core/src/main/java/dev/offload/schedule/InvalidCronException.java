package dev.offload.schedule;

/** A cron expression or time zone that cannot be used; the message completes "cron …". */
public final class InvalidCronException extends IllegalArgumentException {
  public InvalidCronException(String message) {
    super(message);
  }
}
