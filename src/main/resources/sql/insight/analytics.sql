-- A course's analytics (InsightRepository.analytics, on the replica when there is one). Every
-- section aggregates the one course's rows through its course_id index: enrollments_course_recent_idx
-- (V4), lessons_course_id_position_key, lesson_progress_course_idx, assessments_course_idx (V1).
select now() as as_of,
  (select row_to_json(x) from (
     select count(*) as enrollments,
            count(*) filter (where status = 'ACTIVE') as active,
            count(*) filter (where status = 'COMPLETED') as completed,
            count(*) filter (where status = 'CANCELLED') as cancelled
     from enrollments where course_id = $1) x) as counts,
  (select coalesce(json_agg(w order by w.week), '[]'::json) from (
     select date_trunc('week', enrolled_at at time zone 'UTC')::date as week,
            count(*) as enrollments
     from enrollments where course_id = $1
     group by 1 order by 1 desc limit 104) w) as weeks,
  (select coalesce(json_agg(f order by f.position), '[]'::json) from (
     select l.id as "lessonId", l.position, l.title,
            coalesce(p.reached, 0) as reached, coalesce(p.completed, 0) as completed
     from lessons l left join (
       select lesson_id, count(*) as reached,
              count(*) filter (where status = 'COMPLETED') as completed
       from lesson_progress where course_id = $1 group by lesson_id) p on p.lesson_id = l.id
     where l.course_id = $1) f) as funnel,
  (select row_to_json(x) from (
     select count(*) as assessments, round(avg(score), 2)::float8 as "averageScore"
     from assessments where course_id = $1) x) as assessed,
  (select coalesce(json_agg(b order by b."from"), '[]'::json) from (
     select least(score / 10, 9) * 10 as "from",
            case when score >= 90 then 100 else least(score / 10, 9) * 10 + 9 end as "to",
            count(*) as count
     from assessments where course_id = $1 group by 1, 2) b) as scores
