-- Opening a lesson (LessonRepository.open): marks it IN_PROGRESS (a completed one stays
-- COMPLETED) and records it as last opened, only for a live enrollment; returns whether there is one
-- and the reader's progress. Enrollment by enrollments_user_id_course_id_key, progress by
-- lesson_progress_user_id_lesson_id_key (both unique, V1).
with e as (
  select id, last_lesson_id, last_opened_at from enrollments
  where user_id = $1 and course_id = $2 and status <> 'CANCELLED'),
-- The enrollment locked before the progress row is written, as every statement of enrollment/
-- does (enrollment, then progress): a completion of this lesson at the same instant waits or is
-- waited for instead of deadlocking. A reload changes nothing and locks nothing.
el as (
  select en.id from enrollments en join e on en.id = e.id
  where en.status <> 'CANCELLED'
    -- re-reading the lesson last opened less than a minute ago leaves the row alone: recording
    -- that minute again would cost a new row version and a WAL flush on every reload
    and (e.last_lesson_id is distinct from $3 or e.last_opened_at is null
         or e.last_opened_at < now() - interval '1 minute'
         or not exists (select 1 from lesson_progress p
                        where p.user_id = $1 and p.lesson_id = $3))
  for update of en),
lp as (
  insert into lesson_progress (user_id, lesson_id, course_id, status)
  select $1, $3, $2, 'IN_PROGRESS' from el
  on conflict (user_id, lesson_id) do nothing
  returning status),
opened as (
  update enrollments en set last_lesson_id = $3, last_opened_at = now()
  from el
  where en.id = el.id
    and (en.last_lesson_id is distinct from $3 or en.last_opened_at is null
         or en.last_opened_at < now() - interval '1 minute'))
select exists (select 1 from e) as enrolled,
       coalesce((select status from lp),
                (select p.status from lesson_progress p
                 where p.user_id = $1 and p.lesson_id = $3 and exists (select 1 from e)))
         as progress
