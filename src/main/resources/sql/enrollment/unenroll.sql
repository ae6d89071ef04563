-- Leaving a course (EnrollmentRepository.unenroll): the enrollment by
-- enrollments_user_id_course_id_key, the mentors through mentor_assignments_student_active_idx.
-- Only ACTIVE enrollments are left (a completed course stays on the record), so the enrollment
-- counter moves exactly once per change; progress, points and achievements are kept. The stats and
-- activity parts come from progress/.
with e as (select id, status from enrollments where user_id = $1 and course_id = $2),
-- The enrollment locked, and as it is once locked: a completion or another leave committed
-- meanwhile decides (a course completed at the same moment stays completed; of two leaves, one
-- counts). A repeat of a leave locks nothing.
el as (
  select en.id, en.status from enrollments en join e on en.id = e.id
  where e.status = 'ACTIVE'
  for update of en),
upd as (
  update enrollments en set status = 'CANCELLED', last_activity_at = now()
  from el where en.id = el.id and el.status = 'ACTIVE'
  returning en.id),
st as (
  /*{stats}*/),
ev as (
  /*{events}*/)
select coalesce(el.status, e.status) as status, exists (select 1 from upd) as cancelled,
       (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
        where m.student_id = $1 and m.active) as mentor_ids
from (select 1) one left join e on true left join el on true
