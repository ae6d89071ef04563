-- A course with its lessons (CourseRepository.findDetail, pipelined): the course by its unique
-- slug (courses_slug_key, V1) and its lessons through the (course_id, position) unique index
-- (lessons_course_id_position_key, V1) in position order.
select c.id, c.slug, c.title, c.description, c.category, c.level, c.status,
       c.instructor_id, u.display_name as instructor_name, c.lesson_count, c.published_at,
       coalesce((select json_agg(json_build_object('id', l.id, 'position', l.position,
                                                   'title', l.title,
                                                   'durationMinutes', l.duration_minutes,
                                                   'preview', l.preview)
                                 order by l.position)
                 from lessons l where l.course_id = c.id), '[]'::json) as lessons
from courses c join users u on u.id = c.instructor_id
where c.slug = $1
