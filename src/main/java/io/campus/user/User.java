package io.campus.user;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.DynamicUpdate;

// A change writes only the columns it changed: a rename must not put back a password, role or
// disabled state that another transaction committed after the rename read the row.
@Entity
@DynamicUpdate
@Table(name = "users")
public class User extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "users_seq")
  @SequenceGenerator(name = "users_seq", sequenceName = "users_seq", allocationSize = 50)
  public Long id;

  @Column(columnDefinition = "text", nullable = false)
  public String email;

  @Column(columnDefinition = "text", name = "display_name", nullable = false)
  public String displayName;

  @Enumerated(EnumType.STRING)
  @Column(columnDefinition = "text", nullable = false)
  public Role role;

  @Column(columnDefinition = "text", name = "password_hash", nullable = false)
  public String passwordHash;

  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  public OffsetDateTime createdAt;

  /** Set while an admin has disabled the account: no login, no session resolves. */
  @Column(name = "disabled_at")
  public OffsetDateTime disabledAt;

  /** Set once the account was deleted and anonymized. */
  @Column(name = "deleted_at")
  public OffsetDateTime deletedAt;

  /** Raised whenever every session of the user ends; a session counts only in its own epoch. */
  @Column(name = "session_epoch", nullable = false, insertable = false, updatable = false)
  public int sessionEpoch;
}
