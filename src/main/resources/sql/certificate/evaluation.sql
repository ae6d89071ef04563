-- The CTE cert: a user's standing ($1) against the certification of a course ($2), shared by
-- eligibility.sql and issue.sql so that issuing re-checks every rule in the inserting statement.
-- An unpublished course's (draft or archived) certification exists only for its instructor,
-- admins ($3) and the students still enrolled in it: anyone else finds none, as for a course
-- without one or a course id that does not exist.
-- The certification by certifications_course_id_key, the enrollment by
-- enrollments_user_id_course_id_key, the assessments through assessments_student_recent_idx.
cert as (
  select ce.id, ce.course_id, ce.name, ce.min_progress, ce.min_assessments,
         ce.min_average_score, c.title as course_title,
         en.progress_percent as progress, asm.assessments, asm.average,
         coalesce(en.progress_percent >= ce.min_progress, false) as progress_met,
         asm.assessments >= ce.min_assessments as assessments_met,
         coalesce(asm.average, 0) >= ce.min_average_score as average_met
  from certifications ce
    join courses c on c.id = ce.course_id
    left join enrollments en on en.user_id = $1 and en.course_id = ce.course_id
                            and en.status <> 'CANCELLED'
    cross join lateral (
      select count(*)::int as assessments, avg(a.score) as average
      from assessments a where a.student_id = $1 and a.course_id = ce.course_id) asm
  where ce.course_id = $2
    and (c.status = 'PUBLISHED' or $3 or c.instructor_id = $1 or en.id is not null))
