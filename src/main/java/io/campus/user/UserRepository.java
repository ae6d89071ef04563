package io.campus.user;

import io.campus.platform.ops.DbRead;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UserRepository implements PanacheRepository<User> {

  @DbRead
  @WithSession
  public Uni<User> findByEmail(String email) {
    return find("lower(email) = lower(?1)", email).firstResult();
  }
}
