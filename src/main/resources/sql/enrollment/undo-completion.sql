-- Undoing a lesson's completion (EnrollmentRepository.undoCompletion): takes back exactly what
-- completing gave, the lesson's points and, when it had completed the course, the course's points
-- and completion. Awards (and their points) stay; the lesson goes back to IN_PROGRESS. A course
-- completed before lessons were appended to it (course/lessons-appended.sql) stays completed: its
-- completion rests on the lessons it had then, so undoing a lesson short of all of today's lessons
-- takes back that lesson only. The lesson by primary key, the enrollment by
-- enrollments_user_id_course_id_key, progress by lesson_progress_user_id_lesson_id_key, the stats
-- by user_stats primary key, the mentors through mentor_assignments_student_active_idx. The stats
-- and activity parts come from progress/.
with l as (
  select l.id, l.course_id, c.lesson_count, c.status as course_status, c.instructor_id
  from lessons l join courses c on c.id = l.course_id
  where l.id = $2),
e as (
  select e.id from enrollments e join l on e.course_id = l.course_id
  where e.user_id = $1 and e.status <> 'CANCELLED'),
-- The course's lesson count under a share lock, taken first when there is something to undo, as
-- enrollment/complete-lesson.sql takes it: lessons appended at the same moment are counted (a
-- course completed with 5 lessons stays completed once it has 10) or wait for this undo.
lc as (
  select c.lesson_count from courses c join l on c.id = l.course_id
  where exists (select 1 from e)
    and exists (select 1 from lesson_progress p
                where p.user_id = $1 and p.lesson_id = $2 and p.status = 'COMPLETED')
  for share of c),
-- The enrollment locked before anything is written, and as it is once locked: of two undos of a
-- completed course's lessons at once, the second finds the course already taken back. Locks go
-- course, enrollment, progress, stats, as in every statement of enrollment/; nothing is locked
-- when there is nothing to undo.
el as (
  select en.id, en.status, lc.lesson_count,
         en.status = 'COMPLETED' and en.completed_lessons >= lc.lesson_count as was_completed
  from enrollments en join e on en.id = e.id join lc on true
  where en.status <> 'CANCELLED'
  for update of en),
lp as (
  update lesson_progress p set status = 'IN_PROGRESS', completed_at = null
  where p.user_id = $1 and p.lesson_id = $2 and p.status = 'COMPLETED'
    and exists (select 1 from el)
  returning p.lesson_id),
upd as (
  update enrollments en set
    completed_lessons = greatest(en.completed_lessons - 1, 0),
    progress_percent = least(100, greatest(en.completed_lessons - 1, 0) * 100
                                  / greatest(el.lesson_count, 1)),
    status = case when el.was_completed then 'ACTIVE' else el.status end,
    completed_at = case when el.was_completed then null else en.completed_at end,
    last_activity_at = now()
  from el
  where en.id = el.id and exists (select 1 from lp)
  returning en.progress_percent, en.completed_lessons, en.status,
            el.was_completed),
st as (
  /*{stats}*/),
ev as (
  /*{events}*/)
-- an unpublished (draft or archived) course's lesson exists only for its instructor and the
-- students still enrolled in it
select l.id is not null
         and (e.id is not null or l.course_status = 'PUBLISHED' or l.instructor_id = $1)
         as lesson_found,
       e.id is not null as enrolled, l.course_id,
       upd.progress_percent is not null as undone,
       coalesce(upd.progress_percent, en.progress_percent, 0) as progress_percent,
       coalesce(upd.completed_lessons, en.completed_lessons, 0) as completed_lessons,
       coalesce(upd.status, en.status) as status,
       coalesce(st.points, us.points, 0) as points,
       (select coalesce(array_agg(m.mentor_id), '{}') from mentor_assignments m
        where m.student_id = $1 and m.active) as mentor_ids
from (select 1) one
  left join l on true
  left join e on true
  left join enrollments en on en.id = e.id
  left join upd on true
  left join st on true
  left join user_stats us on us.user_id = $1
