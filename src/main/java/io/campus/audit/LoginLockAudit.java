package io.campus.audit;

import io.campus.auth.LoginLocked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Records every login lock. Observes the asynchronous copy of the event only (the synchronous one
 * runs on the event loop of the failing login): the row is written off the login's path.
 */
@ApplicationScoped
public class LoginLockAudit {

  private static final Logger LOG = Logger.getLogger(LoginLockAudit.class);

  private final AuditLog audit;

  public LoginLockAudit(AuditLog audit) {
    this.audit = audit;
  }

  void on(@ObservesAsync LoginLocked event) {
    audit
        .recordQuietly(
            AuditEvent.of(
                null,
                AuditEvent.LOGIN_LOCKED,
                AuditEvent.EMAIL_HASH,
                AuditEvent.emailHash(event.accountKey()),
                null,
                Map.of("lockedForSeconds", event.lockedFor().toSeconds())),
            event.client())
        .subscribe()
        .with(ignored -> {}, e -> LOG.errorf(e, "Login lock not audited"));
  }
}
