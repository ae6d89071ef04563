-- Full-text search of the published catalogue (CourseRepository.search), best match first:
-- courses_search_gin (V1) on the generated tsvector.
select c.id, c.slug, c.title, c.category, c.level, c.lesson_count, c.published_at,
       u.display_name as instructor_name, ts_rank(c.search, q) as rank
from courses c join users u on u.id = c.instructor_id, websearch_to_tsquery('english', $1) q
where c.status = 'PUBLISHED' and c.search @@ q /*{where}*/
order by rank desc, c.id desc
limit /*{limit}*/
