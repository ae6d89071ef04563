-- The whole dashboard (DashboardRepository.load): each section a scalar subquery aggregating the
-- user's few newest rows to JSON, each through the user's index on its table (V1):
-- enrollments_user_recent_idx, user_stats primary key, user_achievements_user_recent_idx,
-- activity_events_user_recent_idx, user_certifications_user_idx. The section limits and the
-- subject-name fragment (activity/subject-name.sql) are filled in once, at class load.
select
  (select coalesce(json_agg(x order by x.enrolled_at desc, x.id desc), '[]'::json) from (
     select e.id, e.status, e.progress_percent, e.completed_lessons, e.enrolled_at,
            e.last_activity_at, e.completed_at, c.id as course_id, c.slug, c.title,
            c.category, c.level, c.lesson_count, u.display_name as instructor_name
     from enrollments e
       join courses c on c.id = e.course_id
       join users u on u.id = c.instructor_id
     where e.user_id = $1
     order by e.enrolled_at desc, e.id desc
     limit /*{enrollments}*/) x) as enrollments,
  (select row_to_json(s) from (
     select points, lessons_completed, courses_completed, enrollments, assessments_received,
            current_streak, longest_streak, last_active_on
     from user_stats where user_id = $1) s) as stats,
  (select coalesce(json_agg(x order by x.awarded_at desc, x.id desc), '[]'::json) from (
     select a.id, a.code, a.name, a.description, a.rule_type, a.points, ua.awarded_at
     from user_achievements ua join achievements a on a.id = ua.achievement_id
     where ua.user_id = $1
     order by ua.awarded_at desc, ua.achievement_id desc
     limit /*{achievements}*/) x) as achievements,
  (select coalesce(json_agg(x order by x.created_at desc, x.id desc), '[]'::json) from (
     select e.id, e.type, e.subject_type, e.subject_id, /*{subjectName}*/ as subject_name, e.detail,
            e.created_at
     from activity_events e
     where e.user_id = $1
     order by e.created_at desc, e.id desc
     limit /*{activity}*/) x) as activity,
  (select coalesce(json_agg(x order by x.issued_at desc, x.id desc), '[]'::json) from (
     select uc.id, uc.certification_id, ce.name, ce.course_id, c.title as course_title,
            uc.verification_code, uc.issued_at, uc.revoked
     from user_certifications uc
       join certifications ce on ce.id = uc.certification_id
       join courses c on c.id = ce.course_id
     where uc.user_id = $1 and not uc.revoked
     order by uc.issued_at desc, uc.id desc
     limit /*{certificates}*/) x) as certificates
