-- Leaving a course (EnrollmentRepository.unenroll): the enrollment by
-- enrollments_user_id_course_id_key, the mentors through mentor_assignments_student_active_idx.
-- Only ACTIVE enrollments are left (a completed course stays on the record), so the enrollment
-- counter moves exactly once per change; progress, points and achievements are kept. The stats and
-- activity parts come from progress/.
with e as (select id, status from enrollments where user_id = $1 and course_id = $2),
upd as (
  update enrollments en set status = 'CANCELLED', last_activity_at = now()
  from e where en.id = e.id and e.status = 'ACTIVE'
  returning en.id),
st as (
  /*{stats}*/),
ev as (
  /*{events}*/)
select e.status, exists (select 1 from upd) as cancelled,
       (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
        where m.student_id = $1 and m.active) as mentor_ids
from (select 1) one left join e on true
