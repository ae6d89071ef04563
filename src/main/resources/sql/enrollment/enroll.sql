-- Enrolling (EnrollmentRepository.enroll): the course by primary key (read, then share-locked), the
-- enrollment upserted on enrollments_user_id_course_id_key, the user's stats by user_stats primary
-- key, the mentors through mentor_assignments_student_active_idx. The stats, activity and award
-- parts come from progress/.
with c as (
  select c.id, c.slug, c.title, c.category, c.level, c.lesson_count,
         u.display_name as instructor_name
  from courses c join users u on u.id = c.instructor_id
  where c.id = $2 and c.status = 'PUBLISHED'),
-- The course held under a share lock and still published once held: an unpublish or archive at
-- the same moment either committed before (404) or waits for this enrollment. A refused repeat
-- locks nothing: the lock alone takes a transaction id, and its commit waits for a WAL flush; the
-- conflict clause still settles two first enrollments racing.
cl as (
  select c.id from courses c
  where c.id = $2 and c.status = 'PUBLISHED'
    and not exists (select 1 from enrollments x
                    where x.user_id = $1 and x.course_id = $2 and x.status <> 'CANCELLED')
  for share of c),
ins as (
  insert into enrollments as en (user_id, course_id, last_activity_at)
  select $1, cl.id, now() from cl
  on conflict (user_id, course_id) do update
    -- re-enrolling after leaving resumes the kept progress
    set status = 'ACTIVE', last_activity_at = now()
    where en.status = 'CANCELLED'
  returning id, course_id, status, progress_percent, completed_lessons, enrolled_at,
            last_activity_at, completed_at),
st as (
  /*{stats}*/),
ev as (
  /*{events}*/),
/*{awards}*/
select c.*, ins.id as enrollment_id, ins.status, ins.progress_percent, ins.completed_lessons,
       ins.enrolled_at, ins.last_activity_at, ins.completed_at,
       /*{awarded_codes}*/ as new_achievements,
       (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
        where m.student_id = $1 and m.active) as mentor_ids
from c left join ins on true
-- no row: the course was taken off the catalogue while this waited for it
where exists (select 1 from cl)
   or exists (select 1 from enrollments x
              where x.user_id = $1 and x.course_id = $2 and x.status <> 'CANCELLED')
