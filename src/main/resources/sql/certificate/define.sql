-- Creating or replacing a course's certification (CertificateRepository.define): the course by
-- primary key, the upsert on certifications_course_id_key; xmax = 0 tells a new row.
with c as (select id, title from courses where id = $1),
up as (
  insert into certifications (course_id, name, min_progress, min_assessments, min_average_score)
  select c.id, $2, $3, $4, $5 from c
  on conflict (course_id) do update set
    name = excluded.name, min_progress = excluded.min_progress,
    min_assessments = excluded.min_assessments, min_average_score = excluded.min_average_score
  returning id, course_id, name, min_progress, min_assessments, min_average_score,
            xmax = 0 as created)
select c.title as course_title, up.* from c join up on up.course_id = c.id
