-- A student's assessments, newest first (AssessmentRepository.ofStudent):
-- assessments_student_recent_idx, with the viewer's access through
-- mentor_assignments_mentor_active_idx and the student by primary key in the same statement. The
-- keyset condition of the cursor fills the slot.
with access as (
  select ($2::boolean or exists (select 1 from mentor_assignments m
                                 where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok,
         exists (select 1 from users where id = $1) as found)
select access.ok, access.found, x.* from access left join lateral (
  select a.id, a.student_id, a.mentor_id, a.course_id, a.skill, a.score, a.feedback,
         a.assessed_on, a.created_at
  from assessments a
  where access.ok and a.student_id = $1 /*{keyset}*/
  order by a.assessed_on desc, a.id desc
  limit $4) x on true
