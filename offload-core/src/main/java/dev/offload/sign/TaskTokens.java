package dev.offload.sign;

import dev.offload.task.TaskId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Per-task capability tokens ({@code Offload-Task-Token}): an HMAC of the task id under a key kept
 * in storage, so a token opens {@code /progress} of its own task only and survives restarts.
 */
public final class TaskTokens {
  private final KeyedMac key;

  public TaskTokens(byte[] key) {
    this.key = new KeyedMac(key);
  }

  public String tokenFor(TaskId id) {
    byte[] mac = key.of(id.value().getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  /** Constant-time check of a presented token. */
  public boolean isValid(TaskId id, String token) {
    if (token == null) return false;
    return MessageDigest.isEqual(
        tokenFor(id).getBytes(StandardCharsets.US_ASCII),
        token.getBytes(StandardCharsets.US_ASCII));
  }
}
