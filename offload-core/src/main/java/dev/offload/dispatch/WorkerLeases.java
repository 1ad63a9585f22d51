package dev.offload.dispatch;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Lease tokens of pull tasks: {@code <workerId>/lease_<128 random bits>_<taskId>}. The random part
 * makes a token unguessable, the task id makes it unique per task within one lease call, and the
 * worker id lets attempts and the reaper name the worker without another column. A node id never
 * contains {@code "/lease_"}, so node-wide lease renewals never match a worker's lease.
 */
public final class WorkerLeases {
  /** What a worker may call itself. */
  public static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}");

  /** What separates the worker id from the rest of a lease token. */
  public static final String MARK = "/lease_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private WorkerLeases() {}

  /** The prefix of the tokens of one lease call; each task's token is this plus its id. */
  public static String tokenPrefix(String workerId) {
    if (!WORKER_ID.matcher(workerId).matches())
      throw new IllegalArgumentException("invalid worker id: " + workerId);
    byte[] secret = new byte[16];
    RANDOM.nextBytes(secret);
    return workerId + MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "_";
  }

  public static boolean isWorkerLease(String leaseOwner) {
    return leaseOwner != null && leaseOwner.contains(MARK);
  }

  /** The worker named in a lease token; the owner itself when it is a node's lease. */
  public static String workerOf(String leaseOwner) {
    int mark = leaseOwner == null ? -1 : leaseOwner.indexOf(MARK);
    return mark < 0 ? leaseOwner : leaseOwner.substring(0, mark);
  }
}
