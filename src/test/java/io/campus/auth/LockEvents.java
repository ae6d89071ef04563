package io.campus.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the login locks the service announces, for tests. */
@ApplicationScoped
public class LockEvents {

  private final List<LoginLocked> seen = new CopyOnWriteArrayList<>();

  void on(@Observes LoginLocked event) {
    seen.add(event);
  }

  public List<LoginLocked> of(String accountKey) {
    return seen.stream().filter(e -> e.accountKey().equals(accountKey)).toList();
  }
}
