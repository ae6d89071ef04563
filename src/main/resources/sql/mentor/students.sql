-- A mentor's active students by id (MentorRepository.students, keyset pages): the page reads
-- mentor_assignments_mentor_active_idx (V1) in key order; stats (user_stats primary key) and
-- assessment aggregates (assessments_student_recent_idx, V1) are joined per student of the page only.
with target as (select exists (select 1 from users where id = $1) as found)
select target.found, x.* from target left join lateral (
  select u.id, u.display_name, u.email, ma.assigned_at,
         coalesce(s.points, 0) as points,
         coalesce(s.lessons_completed, 0) as lessons_completed,
         coalesce(s.courses_completed, 0) as courses_completed,
         coalesce(s.enrollments, 0) as enrollments,
         coalesce(s.current_streak, 0) as current_streak,
         s.last_active_on, ag.assessment_count, ag.average_score
  from mentor_assignments ma
    join users u on u.id = ma.student_id
    left join user_stats s on s.user_id = ma.student_id
    left join lateral (
      select count(*)::int as assessment_count, round(avg(a.score), 2)::float8 as average_score
      from assessments a where a.student_id = ma.student_id) ag on true
  where target.found and ma.mentor_id = $1 and ma.active /*{keyset}*/
  order by ma.student_id
  limit $2) x on true
