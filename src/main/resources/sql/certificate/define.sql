-- Creating or replacing a course's certification (CertificateRepository.define): the course by
-- primary key, the upsert on certifications_course_id_key; xmax = 0 tells a new row. renamed: the
-- name its holders' dashboards show changed (old reads the row as it was before this statement).
with c as (select id, title from courses where id = $1),
old as (select name from certifications where course_id = $1),
up as (
  insert into certifications (course_id, name, min_progress, min_assessments, min_average_score)
  select c.id, $2, $3, $4, $5 from c
  on conflict (course_id) do update set
    name = excluded.name, min_progress = excluded.min_progress,
    min_assessments = excluded.min_assessments, min_average_score = excluded.min_average_score
  returning id, course_id, name, min_progress, min_assessments, min_average_score,
            xmax = 0 as created)
select c.title as course_title, up.*,
       exists (select 1 from old where old.name is distinct from up.name) as renamed
from c join up on up.course_id = c.id
