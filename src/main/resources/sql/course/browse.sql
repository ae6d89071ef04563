-- Browsing the published catalogue (CourseRepository.browse): one statement per filter
-- combination, each with its own plan. Newest first reads courses_published_idx, with a category
-- courses_published_category_level_idx, with only a level courses_published_level_idx; by title
-- courses_published_title_idx (all V1, partial on status = 'PUBLISHED').
select c.id, c.slug, c.title, c.category, c.level, c.lesson_count, c.published_at,
       u.display_name as instructor_name
from courses c join users u on u.id = c.instructor_id
where c.status = 'PUBLISHED' /*{where}*/
order by /*{order}*/
limit /*{limit}*/
