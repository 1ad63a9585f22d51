package dev.offload.sign;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one key, with a {@link Mac} per thread that is keyed once: {@code Mac.init}
 * hashes the key's two pads, half the work of a MAC of a short message (a task id), and {@code
 * doFinal} leaves the Mac keyed for the next one. {@code Mac.getInstance} looks up providers, so it
 * runs once per thread too.
 */
final class KeyedMac {
  private final ThreadLocal<Mac> macs;

  KeyedMac(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
  }

  /** The MAC of {@code parts} one after the other. */
  byte[] of(byte[]... parts) {
    Mac mac = macs.get();
    for (byte[] part : parts) mac.update(part);
    return mac.doFinal();
  }
}
