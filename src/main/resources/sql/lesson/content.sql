-- A lesson with its course (LessonRepository.content): the course by its unique slug
-- (courses_slug_key, V1); the lesson and its previous/next positions from the (course_id, position)
-- unique index (lessons_course_id_position_key, V1).
select c.id as course_id, c.slug, c.status, c.instructor_id, l.id, l.position, l.title,
       l.content, l.duration_minutes, l.preview,
       (select max(p.position) from lessons p
        where p.course_id = c.id and p.position < l.position) as previous,
       (select min(n.position) from lessons n
        where n.course_id = c.id and n.position > l.position) as next
from courses c join lessons l on l.course_id = c.id and l.position = $2
where c.slug = $1
