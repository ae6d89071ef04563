package io.campus.ceiling.stack;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one entity of the stack variant, so Hibernate Reactive builds its metadata at start-up. */
@Entity
@Table(name = "world")
public class World extends PanacheEntityBase {

  @Id public Integer id;

  @Column(name = "randomnumber", nullable = false)
  public int randomNumber;
}
