package io.campus.platform.common;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An HMAC-SHA256 key, with a {@link Mac} per thread (Mac instances are not thread-safe). */
public final class HmacSha256 {

  private final ThreadLocal<Mac> macs;

  public HmacSha256(byte[] secret) {
    SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
              }
            });
  }

  /** This thread's Mac, reset: update it, then {@code doFinal}. */
  public Mac mac() {
    return macs.get();
  }
}
