-- A course's students, newest enrollment first (InsightRepository.students, keyset pages). The page
-- reads enrollments_course_recent_idx (V4) in key order; assessments are aggregated per student of
-- the page only (assessments_student_recent_idx, V1). The course by courses_slug_key (V1).
with c as (select id, instructor_id, status from courses where slug = $1)
select c.id as course_id, c.instructor_id, c.status as course_status, x.* from c left join lateral (
  select e.id, e.user_id, u.display_name, e.status, e.progress_percent, e.completed_lessons,
         e.enrolled_at,
         greatest(e.last_activity_at, e.last_opened_at) as last_activity_at,
         ag.assessment_count, ag.average_score
  from enrollments e
    join users u on u.id = e.user_id
    left join lateral (
      select count(*)::int as assessment_count, round(avg(a.score), 2)::float8 as average_score
      from assessments a where a.student_id = e.user_id and a.course_id = c.id) ag on true
  where ($2 or c.instructor_id = $3) and e.course_id = c.id and e.status <> 'CANCELLED' /*{keyset}*/
  order by e.enrolled_at desc, e.id desc
  limit $4) x on true
