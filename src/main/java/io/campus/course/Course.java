package io.campus.course;

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

@Entity
@Table(name = "courses")
public class Course extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "courses_seq")
  @SequenceGenerator(name = "courses_seq", sequenceName = "courses_seq", allocationSize = 50)
  public Long id;

  @Column(columnDefinition = "text", nullable = false, unique = true)
  public String slug;

  @Column(columnDefinition = "text", nullable = false)
  public String title;

  @Column(columnDefinition = "text", nullable = false)
  public String description;

  @Column(columnDefinition = "text", nullable = false)
  public String category;

  @Enumerated(EnumType.STRING)
  @Column(columnDefinition = "text", nullable = false)
  public CourseLevel level;

  @Enumerated(EnumType.STRING)
  @Column(columnDefinition = "text", nullable = false)
  public CourseStatus status;

  @Column(name = "instructor_id", nullable = false)
  public Long instructorId;

  @Column(name = "lesson_count", nullable = false)
  public int lessonCount;

  @Column(name = "published_at")
  public OffsetDateTime publishedAt;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
