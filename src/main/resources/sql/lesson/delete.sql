-- Deleting a lesson (LessonRepository.delete) closes the gap: later lessons move up one position
-- (the unique constraint on (course_id, position) is checked at the end of the statement, see V4).
-- Only drafts nobody is enrolled in, so no progress or statistics refer to the lesson. The course by
-- courses_slug_key, its students by enrollments_course_recent_idx (V4), its lessons by
-- lessons_course_id_position_key (V1). It runs after lesson/lock-course.sql in one transaction:
-- its snapshot holds every lesson of the course, appended ones included, so the shift moves them
-- all. Should del still find nothing although lesson_at is the lesson meant, nothing is written (a
-- 409).
with c as (
  select id, instructor_id, status,
         exists (select 1 from enrollments e where e.course_id = courses.id) as has_students
  from courses where slug = $1),
allowed as (
  select c.id from c
  where ($3 or c.instructor_id = $4) and c.status = 'DRAFT' and not c.has_students),
-- $5: the lesson the client means (null: whichever is there), so that a repeat deletes no other
del as (
  delete from lessons l using allowed
  where l.course_id = allowed.id and l.position = $2 and ($5::bigint is null or l.id = $5)
  returning l.id),
shift as (
  update lessons l set position = l.position - 1 from allowed
  where l.course_id = allowed.id and l.position > $2 and exists (select 1 from del)),
cnt as (
  update courses set lesson_count = lesson_count - 1, updated_at = now() from allowed
  where courses.id = allowed.id and exists (select 1 from del))
select c.id is not null as course_found, c.instructor_id, c.status, c.has_students,
       (select id from del) as lesson_id,
       (select l.id from lessons l where l.course_id = c.id and l.position = $2) as lesson_at
from (select 1) one left join c on true
