-- A student's assessments, newest first (AssessmentRepository.ofStudent):
-- assessments_student_recent_idx, with the viewer's access through
-- mentor_assignments_mentor_active_idx and the student by primary key in the same statement. A
-- mentor ($2 false) is told the course of an assessment only where they may open the course
-- (published, their own, or enrolled in it: courses primary key, enrollments_user_id_course_id_key);
-- of an unpublished one (draft or archived) they see the assessment as one without a course. The
-- keyset condition of the cursor fills the slot.
with access as (
  select ($2::boolean or exists (select 1 from mentor_assignments m
                                 where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok,
         exists (select 1 from users where id = $1) as found)
select access.ok, access.found, x.* from access left join lateral (
  select a.id, a.student_id, a.mentor_id,
         case when $2 or c.status = 'PUBLISHED' or c.instructor_id = $3
                   or exists (select 1 from enrollments v
                              where v.user_id = $3 and v.course_id = c.id
                                and v.status <> 'CANCELLED')
              then a.course_id end as course_id,
         a.skill, a.score, a.feedback, a.assessed_on, a.created_at
  from assessments a
    left join courses c on c.id = a.course_id
  where access.ok and a.student_id = $1 /*{keyset}*/
  order by a.assessed_on desc, a.id desc
  limit $4) x on true
