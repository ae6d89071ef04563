-- After lessons are appended (CourseService.addLessonsTx, in its transaction, with the course row
-- locked): every enrollment of the course, left ones included (re-enrolling resumes them), shows
-- the share of the course's :lessons lessons its student completed, as completing a lesson computes
-- it (enrollment/complete-lesson.sql). One set-based statement through
-- enrollments_course_recent_idx (V4); rows whose share did not change are not written. Status and
-- completion stay: a course completed before the append stays completed, with its completion time,
-- points and certificate, and shows the lower share until the new lessons are done.
update enrollments e
set progress_percent = least(100, e.completed_lessons * 100 / greatest(:lessons, 1))
where e.course_id = :course
  and e.progress_percent <> least(100, e.completed_lessons * 100 / greatest(:lessons, 1))
