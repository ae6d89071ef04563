-- Completing a lesson (EnrollmentRepository.completeLesson): the lesson by primary key, the
-- enrollment by enrollments_user_id_course_id_key, the lesson's progress upserted on
-- lesson_progress_user_id_lesson_id_key, the stats by user_stats primary key, the mentors through
-- mentor_assignments_student_active_idx. The stats, activity and award parts come from progress/.
with l as (
  select l.id, l.course_id, c.lesson_count, c.status as course_status, c.instructor_id
  from lessons l join courses c on c.id = l.course_id
  where l.id = $2),
e as (
  select e.id from enrollments e join l on e.course_id = l.course_id
  where e.user_id = $1 and e.status <> 'CANCELLED'),
-- The course's lesson count under a share lock, taken before anything else when there is a
-- lesson to complete: lessons appended or deleted at the same moment (they hold the course row from
-- their first statement) either committed before, and their count is the one read here, or wait
-- for this completion and then recompute its share (course/lessons-appended.sql). A count from the
-- statement's snapshot would judge the last of 5 lessons against a course that has 10 by now.
lc as (
  select c.lesson_count from courses c join l on c.id = l.course_id
  where exists (select 1 from e)
    and not exists (select 1 from lesson_progress p
                    where p.user_id = $1 and p.lesson_id = $2 and p.status = 'COMPLETED')
  for share of c),
-- The enrollment locked before anything is written, and as it is once locked: leaving the course
-- at the same moment either happens first (nothing to complete) or waits for this completion (and
-- finds the course completed). Locks go course, enrollment, progress, stats, as in every
-- statement of enrollment/. A repeat must not lock a row: the lock alone takes a transaction id,
-- and its commit waits for a WAL flush; the conflict clause still settles two first completions
-- racing.
el as (
  select en.id, lc.lesson_count from enrollments en join e on en.id = e.id join lc on true
  where en.status <> 'CANCELLED'
  for update of en),
lp as (
  insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)
  select $1, l.id, l.course_id, 'COMPLETED', now() from l
  where exists (select 1 from el)
  on conflict (user_id, lesson_id) do update
    set status = 'COMPLETED', completed_at = excluded.completed_at
    where lesson_progress.status <> 'COMPLETED'
  returning lesson_id),
upd as (
  update enrollments en set
    completed_lessons = least(en.completed_lessons + 1, el.lesson_count),
    progress_percent = least(100, (en.completed_lessons + 1) * 100 / greatest(el.lesson_count, 1)),
    status = case when en.completed_lessons + 1 >= el.lesson_count then 'COMPLETED' else en.status end,
    completed_at = case when en.completed_lessons + 1 >= el.lesson_count
                        then coalesce(en.completed_at, now()) else en.completed_at end,
    last_activity_at = now()
  from el
  where en.id = el.id and exists (select 1 from lp)
  returning en.progress_percent, en.completed_lessons, en.status,
            (en.status = 'COMPLETED' and en.completed_at = now()) as just_completed),
st as (
  /*{stats}*/),
ev as (
  /*{events}*/),
/*{awards}*/
-- an unpublished (draft or archived) course's lesson exists only for its instructor and the
-- students still enrolled in it
select l.id is not null
         and (e.id is not null or l.course_status = 'PUBLISHED' or l.instructor_id = $1)
         as lesson_found,
       e.id is not null as enrolled,
       l.course_id, upd.progress_percent is not null as newly_completed,
       coalesce(upd.just_completed, false) as course_completed,
       coalesce(upd.progress_percent, en.progress_percent, 0) as progress_percent,
       coalesce(upd.completed_lessons, en.completed_lessons, 0) as completed_lessons,
       coalesce(upd.status, en.status) as status,
       coalesce(st.points, us.points, 0) + /*{awarded_points}*/ as points,
       coalesce(st.current_streak, us.current_streak, 0) as current_streak,
       /*{awarded_codes}*/ as new_achievements,
       (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
        where m.student_id = $1 and m.active) as mentor_ids
from (select 1) one
  left join l on true
  left join e on true
  left join enrollments en on en.id = e.id
  left join upd on true
  left join st on true
  left join user_stats us on us.user_id = $1
