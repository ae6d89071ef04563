-- Demo data (DemoDataGenerator): each enrollment's progress, status and dates from its completed
-- lessons. No index: it reads and updates every row of the generated tables.
update enrollments e set
  completed_lessons = x.n,
  progress_percent = least(100, x.n * 100 / greatest(c.lesson_count, 1)),
  status = case when x.n >= c.lesson_count then 'COMPLETED' else 'ACTIVE' end,
  completed_at = case when x.n >= c.lesson_count then x.last end,
  last_activity_at = x.last
from (select user_id, course_id, count(*) as n, max(completed_at) as last
      from lesson_progress group by user_id, course_id) x, courses c
where e.user_id = x.user_id and e.course_id = x.course_id and c.id = e.course_id
