-- Browsing with a category (CourseRepository.browse): the page of course/browse.sql and whether
-- any published course has this category, so an unknown one is a 400 (never a cached empty page)
-- without a second round trip. The probe reads courses_published_category_level_idx (V1).
select p.*, k.known
from (select exists(select 1 from courses
                    where status = 'PUBLISHED' and category = $1) as known) k
  left join lateral (/*{page}*/) p on true
order by /*{order}*/
