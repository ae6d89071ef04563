-- Demo data (DemoDataGenerator): the rows of each student's stats for progress/StatsSql.seed,
-- points from $1 per lesson and $2 per course; streaks are made up, some have ended (last active
-- two days ago) until StreakReset runs. No index: it aggregates whole generated tables.
select u.id, coalesce(lp.n, 0) * $1 + coalesce(ec.done, 0) * $2, coalesce(lp.n, 0),
       coalesce(ec.done, 0), coalesce(ec.n, 0), u.id % 7, u.id % 7 + u.id % 5,
       current_date - (u.id % 3)::int
from users u
left join (select user_id, count(*) as n from lesson_progress group by user_id) lp
  on lp.user_id = u.id
left join (select user_id, count(*) as n, count(*) filter (where status = 'COMPLETED') as done
           from enrollments group by user_id) ec on ec.user_id = u.id
where u.role = 'STUDENT'
