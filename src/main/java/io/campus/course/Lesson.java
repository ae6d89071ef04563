package io.campus.course;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

@Entity
@Table(name = "lessons")
public class Lesson extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "lessons_seq")
  @SequenceGenerator(name = "lessons_seq", sequenceName = "lessons_seq", allocationSize = 50)
  public Long id;

  @Column(name = "course_id", nullable = false)
  public Long courseId;

  @Column(nullable = false)
  public int position;

  @Column(columnDefinition = "text", nullable = false)
  public String title;

  @Column(columnDefinition = "text", nullable = false)
  public String content;

  @Column(name = "duration_minutes", nullable = false)
  public int durationMinutes;

  /** Readable by anyone while the course is published. */
  @Column(nullable = false)
  public boolean preview;
}
