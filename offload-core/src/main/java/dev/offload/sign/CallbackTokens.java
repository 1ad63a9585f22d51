package dev.offload.sign;

import dev.offload.task.TaskId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Capability tokens of callback URLs ({@code /v1/callbacks/<token>}): {@code <task
 * id>.<call>.<mac>}, the MAC an HMAC of both under the key kept in storage, so every node reads
 * every node's tokens, a token names one call of one task, and nobody can make one for another
 * call.
 */
public final class CallbackTokens {
  private static final String DOMAIN = "callback:";
  private final KeyedMac key;

  /**
   * A token read back: the task and the number of the call (its continuation count) it was issued
   * to.
   */
  public record Ref(TaskId taskId, int call) {}

  public CallbackTokens(byte[] key) {
    this.key = new KeyedMac(key);
  }

  public String tokenFor(TaskId id, int call) {
    return id.value() + "." + call + "." + mac(id.value(), call);
  }

  /** The call a token names, when its MAC is right (checked in constant time); empty otherwise. */
  public Optional<Ref> read(String token) {
    if (token == null) return Optional.empty();
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3
        || parts[1].isEmpty()
        || parts[1].length() > 9
        || !parts[1].chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int call = Integer.parseInt(parts[1]);
    byte[] expected = mac(parts[0], call).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII)))
      return Optional.empty();
    try {
      return Optional.of(new Ref(new TaskId(parts[0]), call));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private String mac(String taskId, int call) {
    byte[] mac = key.of((DOMAIN + taskId + ":" + call).getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }
}
