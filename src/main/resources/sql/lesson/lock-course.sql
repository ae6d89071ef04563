-- The course row of a change that moves lessons (LessonRepository.delete and reorder), locked by
-- its instructor or an admin ($2 admin, $3 caller) in the first statement of the change's
-- transaction, with the lock appending lessons takes (CourseService.managed). The change's own
-- statement then starts after any append, delete or reorder of the course has committed, so its
-- snapshot holds their lessons: a statement that waits for the lock inside itself would still move
-- only the lessons of its older snapshot (an append's new lessons kept their positions behind the
-- gap a delete left). Every statement changing lessons takes the course before them (edit.sql
-- too), so two changes wait for each other instead of deadlocking. By courses_slug_key (V1).
select id from courses where slug = $1 and ($2 or instructor_id = $3) for no key update
