-- One batch of the achievement recalculation (AchievementRecalculation.batch), for a range of the
-- user_stats primary key: awards every achievement the users qualify for (the award part comes from
-- progress/) and issues the certificates whose rules their enrollments meet, with the rules of
-- certificate/evaluation.sql: the batch's enrollments through enrollments_user_recent_idx in
-- certified courses (certifications_course_id_key), assessments per enrollment only
-- (assessments_student_recent_idx), existing certificates by
-- user_certifications_user_id_certification_id_key. The activity of the issues comes from progress/.
with s as (
  select user_id, points, lessons_completed, courses_completed, current_streak, enrollments,
         assessments_received
  from user_stats where user_id > $1 and user_id <= $2),
/*{awards}*/,
eligible as (
  select en.user_id, ce.id as certification_id
  from enrollments en
    join certifications ce on ce.course_id = en.course_id
    cross join lateral (
      select count(*)::int as assessments, avg(a.score) as average
      from assessments a where a.student_id = en.user_id and a.course_id = en.course_id) asm
  where en.user_id > $1 and en.user_id <= $2 and en.status <> 'CANCELLED'
    and en.progress_percent >= ce.min_progress
    and asm.assessments >= ce.min_assessments
    and coalesce(asm.average, 0) >= ce.min_average_score
    and not exists (select 1 from user_certifications uc
                    where uc.user_id = en.user_id and uc.certification_id = ce.id)),
issued as (
  insert into user_certifications (user_id, certification_id, verification_code)
  select user_id, certification_id, campus_verification_code() from eligible
  -- a concurrent issue, or (never seen) a code collision: the next run issues it
  on conflict do nothing
  returning id, user_id, certification_id),
issued_events as (
  /*{events}*/)
select (select count(*) from s) as processed,
       (select count(*) from awarded) as achievements,
       (select count(*) from issued) as certificates,
       (select coalesce(array_agg(distinct user_id), '{}') from
          (select user_id from awarded union select user_id from issued) u) as changed_users,
       -- their mentors' student lists show the points (mentor_assignments_student_active_idx)
       (select coalesce(array_agg(distinct m.mentor_id), '{}') from mentor_assignments m
        where m.active
          and m.student_id in (select user_id from awarded union select user_id from issued))
         as changed_mentors
