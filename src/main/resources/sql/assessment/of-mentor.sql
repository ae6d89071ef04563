-- The assessments a mentor recorded, newest first (AssessmentRepository.ofMentor):
-- assessments_mentor_recent_idx, the mentor by primary key. The keyset condition of the cursor
-- fills the slot.
with target as (select exists (select 1 from users where id = $1) as found)
select true as ok, target.found, x.* from target left join lateral (
  select a.id, a.student_id, a.mentor_id, a.course_id, a.skill, a.score, a.feedback,
         a.assessed_on, a.created_at
  from assessments a
  where target.found and a.mentor_id = $1 /*{keyset}*/
  order by a.assessed_on desc, a.id desc
  limit $2) x on true
