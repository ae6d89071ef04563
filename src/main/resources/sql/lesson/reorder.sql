-- Reordering a course's lessons (LessonRepository.reorder). $4: the new order, which must hold
-- every lesson of the course exactly once. The course by courses_slug_key, its lessons by
-- lessons_course_id_position_key (both unique, V1). It runs after lesson/lock-course.sql in one
-- transaction, so "same" compares the list with the lessons as every earlier change left them.
with c as (select id, instructor_id, status from courses where slug = $1),
same as (
  select (select array_agg(l.id order by l.id) from lessons l where l.course_id = c.id)
         = (select array_agg(x order by x) from unnest($4::bigint[]) x) as ok
  from c),
allowed as (
  select c.id from c, same
  where ($2 or c.instructor_id = $3) and c.status = 'DRAFT' and same.ok),
upd as (
  update lessons l set position = o.ord
  from unnest($4::bigint[]) with ordinality o(id, ord), allowed
  where l.course_id = allowed.id and l.id = o.id
  returning l.id),
touch as (
  update courses set updated_at = now() from allowed where courses.id = allowed.id)
select c.id is not null as course_found, c.instructor_id, c.status,
       coalesce(same.ok, false) as same_lessons, (select count(*) from upd) as moved
from (select 1) one left join c on true left join same on true
