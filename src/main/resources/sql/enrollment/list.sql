-- A user's enrollments, newest first (EnrollmentRepository.list): enrollments_user_recent_idx,
-- with the viewer's access through mentor_assignments_mentor_active_idx in the same statement.
-- A mentor ($2 false) sees only the courses they may open themselves (the slot visible:
-- EnrollmentRepository.VISIBLE_TO_MENTOR), empty for the user and admins, so that their plan
-- carries no condition they never need. The keyset condition of the cursor fills the slot keyset.
with access as (
  select ($2::boolean or exists (select 1 from mentor_assignments m
                                 where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok)
select access.ok, x.* from access left join lateral (
  select e.id, e.status, e.progress_percent, e.completed_lessons, e.enrolled_at,
         e.last_activity_at, e.completed_at, c.id as course_id, c.slug, c.title, c.category,
         c.level, c.lesson_count, u.display_name as instructor_name
  from enrollments e
    join courses c on c.id = e.course_id
    join users u on u.id = c.instructor_id
  where access.ok and e.user_id = $1 /*{visible}*/ /*{keyset}*/
  order by e.enrolled_at desc, e.id desc
  limit $4) x on true
