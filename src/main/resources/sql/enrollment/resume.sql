-- Where to resume a course (EnrollmentRepository.resume): the lesson opened last unless it has been
-- completed since, else the first lesson not completed. The enrollment by
-- enrollments_user_id_course_id_key, lessons by lessons_course_id_position_key, progress by
-- lesson_progress_user_id_lesson_id_key.
select c.id as course_id, c.slug, e.status,
       ll.id as last_id, ll.position as last_position, ll.title as last_title,
       exists (select 1 from lesson_progress p
               where p.user_id = $1 and p.lesson_id = ll.id and p.status = 'COMPLETED')
         as last_completed,
       nx.id as next_id, nx.position as next_position, nx.title as next_title
from enrollments e
  join courses c on c.id = e.course_id
  left join lessons ll on ll.id = e.last_lesson_id
  left join lateral (
    select l.id, l.position, l.title from lessons l
    where l.course_id = e.course_id
      and not exists (select 1 from lesson_progress p
                      where p.user_id = $1 and p.lesson_id = l.id and p.status = 'COMPLETED')
    order by l.position limit 1) nx on true
where e.user_id = $1 and e.course_id = $2 and e.status <> 'CANCELLED'
