-- Demo data (DemoDataGenerator): $1 enrollments per student, $2 in all, spread over the courses;
-- duplicates skipped on enrollments_user_id_course_id_key.
insert into enrollments (user_id, course_id, enrolled_at, last_activity_at)
select s.id, cs.ids[1 + (s.rn * 7 + j * 13) % array_length(cs.ids, 1)],
       now() - make_interval(days => ((s.rn + j) % 90)::int), now()
from (select id, row_number() over (order by id) as rn from users where role = 'STUDENT') s
cross join (select array_agg(id order by id) as ids from courses) cs
cross join generate_series(0, $1 - 1) j
limit $2
on conflict (user_id, course_id) do nothing
