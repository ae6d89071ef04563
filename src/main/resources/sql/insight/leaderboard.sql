-- A course's leaderboard (InsightRepository.leaderboard): top N by completed lessons
-- (enrollments_course_rank_idx, V4, stops after N rows) and the caller's rank: how many are ahead,
-- read from the same index. The caller's enrollment by enrollments_user_id_course_id_key, the course
-- by courses_slug_key (V1).
with c as (select id, instructor_id, status from courses where slug = $1),
me as (
  select e.completed_lessons, e.progress_percent from enrollments e join c on e.course_id = c.id
  where e.user_id = $2 and e.status <> 'CANCELLED')
select c.id as course_id, c.instructor_id, c.status,
       me.completed_lessons as my_lessons, me.progress_percent as my_progress,
       (select count(*) + 1 from enrollments e
        where e.course_id = c.id and e.status <> 'CANCELLED'
          and e.completed_lessons > me.completed_lessons)::int as my_rank,
       (select coalesce(json_agg(t order by t.rank, t."userId"), '[]'::json) from (
          select e.user_id as "userId", u.display_name as "displayName",
                 e.completed_lessons as "completedLessons",
                 e.progress_percent as "progressPercent",
                 rank() over (order by e.completed_lessons desc)::int as rank
          from enrollments e join users u on u.id = e.user_id
          where e.course_id = c.id and e.status <> 'CANCELLED'
            and ($3 or c.instructor_id = $2 or me.completed_lessons is not null)
          order by e.completed_lessons desc, e.user_id
          limit $4) t) as top
from (select 1) one left join c on true left join me on true
