-- Demo data (DemoDataGenerator): $1 published courses of $2 lessons each, spread over topics,
-- categories, levels and the mentors as instructors. No index: a bulk load into an empty table.
insert into courses (slug, title, description, category, level, status, instructor_id,
                     lesson_count, published_at, created_at, updated_at)
select 'course-' || g,
       initcap(t.topic) || ' ' || (array['Fundamentals', 'in Practice', 'Deep Dive',
                                          'Essentials', 'Workshop'])[1 + g % 5] || ' ' || g,
       'Learn ' || t.topic || ' step by step: concepts, exercises and a final project about '
         || t.topic || ' for ' || lower(lv.level) || ' learners.',
       t.category, lv.level, 'PUBLISHED', m.ids[1 + g % array_length(m.ids, 1)], $2,
       now() - make_interval(hours => g), now(), now()
from generate_series(1, $1) g
cross join lateral (
  select (array['java', 'postgresql', 'kubernetes', 'interaction design', 'data science',
                'application security', 'frontend', 'product management'])[1 + g % 8] as topic,
         (array['programming', 'databases', 'devops', 'design', 'data', 'security', 'web',
                'business'])[1 + g % 8] as category) t
cross join lateral (
  select (array['BEGINNER', 'INTERMEDIATE', 'ADVANCED'])[1 + (g / 8) % 3] as level) lv
cross join (select array_agg(id order by id) as ids from users where role = 'MENTOR') m
