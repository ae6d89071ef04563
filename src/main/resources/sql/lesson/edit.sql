-- Editing a lesson (LessonRepository.edit). $1 slug, $2 position, $3 admin, $4 caller, then
-- the fields (null keeps the value), and $9 the lesson meant (null: whichever is at $2; another
-- lesson there changes nothing). The course by courses_slug_key, the lesson by
-- lessons_course_id_position_key (both unique, V1).
with c as (select id, instructor_id, status from courses where slug = $1),
-- The course locked before the lesson, as every change of a course's lessons takes them
-- (lesson/lock-course.sql): an edit meeting a delete or reorder of the course waits, no deadlock.
lk as (
  select courses.id from courses join c on courses.id = c.id
  where $3 or c.instructor_id = $4
  for no key update of courses),
upd as (
  update lessons l set
    title = coalesce($5, l.title),
    content = coalesce($6, l.content),
    duration_minutes = coalesce($7, l.duration_minutes),
    preview = coalesce($8, l.preview)
  from lk
  where l.course_id = lk.id and l.position = $2 and ($9::bigint is null or l.id = $9)
  returning l.id),
touch as (
  update courses set updated_at = now() from lk
  where courses.id = lk.id and exists (select 1 from upd))
select c.id is not null as course_found, c.instructor_id, c.status,
       (select id from upd) as lesson_id
from (select 1) one left join c on true
