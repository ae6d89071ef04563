-- Writing a submission (AssessmentRepository.insert), from arrays: the assessments (duplicates
-- skipped on their unique (mentor_id, student_id, course_id, skill, assessed_on), V1), the stats by
-- user_stats primary key, achievements, activity, and the idempotency record (idempotency_keys_pkey).
-- The stats, activity and award parts come from progress/. Rows are inserted in natural-key order
-- so that overlapping concurrent submissions lock in the same order. The statement returns the
-- created rows in request order (or one row of counts only); the idempotency record stores the same
-- rows and counts as neutral JSON (created_at as epoch microseconds) for AssessmentMapper to answer
-- a replay exactly as the first time. The key insert has no ON CONFLICT: a concurrent request that
-- took the key first makes this whole statement fail and write nothing. Every row also carries the
-- active mentors of the students assessed (mentor_assignments_student_active_idx), whose cached
-- student lists show the new figures.
--
-- The rules check.sql read are read again here, on the rows as they are when written: each row an
-- item relies on (its student a student, not deleted; the caller's active assignment to the
-- student, unless the caller is an admin ($12); its course not a draft, with the caller's teaching
-- of it, and the student's live enrollment in it) is locked FOR SHARE, so that a change committed
-- since the statement began is seen once its lock is granted (an ended assignment, an unpublished
-- course, a left course then no longer match) and a change not yet made waits until this one
-- commits. Should any item no longer pass, nothing at all is written (not even the idempotency
-- record) and the row says refused; AssessmentService then asks check.sql which rule failed. The
-- rows are found as check.sql finds them: users and courses by primary key, the assignments through
-- mentor_assignments_mentor_active_idx, the enrollments by enrollments_user_id_course_id_key. Locks
-- go rules first, then assessments, then stats, as enrollment/ locks enrollment before stats.
with input as (
  select * from unnest($2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::date[])
    with ordinality as t(student_id, course_id, skill, score, feedback, assessed_on, idx)),
students as materialized (
  select u.id from users u
  where u.id = any($2::bigint[]) and u.role = 'STUDENT' and u.deleted_at is null
  for share),
assigned as materialized (
  select m.student_id from mentor_assignments m
  where not $12::boolean and m.mentor_id = $1 and m.student_id = any($2::bigint[]) and m.active
  for share),
courses_live as materialized (
  select c.id, c.instructor_id = $1 as teaches from courses c
  where c.id = any($3::bigint[]) and c.status <> 'DRAFT'
  for share),
enrolled as materialized (
  select e.user_id, e.course_id from enrollments e
  join (select distinct student_id, course_id from input where course_id is not null) p
    on e.user_id = p.student_id and e.course_id = p.course_id
  where e.status <> 'CANCELLED'
  for share of e),
allowed as (
  select coalesce(bool_and(
           s.id is not null
           and ($12::boolean or a.student_id is not null or coalesce(c.teaches, false))
           and (i.course_id is null or (c.id is not null and e.user_id is not null))),
         false) as ok
  from input i
  left join students s on s.id = i.student_id
  left join assigned a on a.student_id = i.student_id
  left join courses_live c on c.id = i.course_id
  left join enrolled e on e.user_id = i.student_id and e.course_id = i.course_id),
ins as (
  insert into assessments (student_id, mentor_id, course_id, skill, score, feedback, assessed_on)
  select student_id, $1, course_id, skill, score, feedback, assessed_on from input
  where (select ok from allowed)
  order by student_id, course_id, skill, assessed_on
  on conflict do nothing
  returning id, student_id, course_id, skill, score, feedback, assessed_on, created_at),
st as (
  /*{stats}*/),
ev as (
  /*{events}*/),
/*{awards}*/,
saved as (
  select ins.id, $1::bigint as mentor_id, ins.student_id, ins.course_id, ins.skill,
         ins.score, ins.feedback, ins.assessed_on, ins.created_at,
         (extract(epoch from ins.created_at) * 1000000)::bigint as created_at_us, i.idx
  from ins join input i
    on i.student_id = ins.student_id and i.skill = ins.skill
   and i.assessed_on = ins.assessed_on and i.course_id is not distinct from ins.course_id),
outcome as (
  select count(*)::int as created, cardinality($2::bigint[]) - count(*)::int as skipped,
         case when $8 and count(*) = 0 then 409 else 201 end as status,
         not (select ok from allowed) as refused
  from ins),
kept as (
  insert into idempotency_keys (user_id, key, request_hash, status, response, expires_at)
  select $1, $9, $10, o.status,
         (select to_jsonb(r)::text from (
            select o.created, o.skipped,
                   coalesce(jsonb_agg(to_jsonb(c) - 'created_at' - 'idx' order by c.idx),
                            '[]'::jsonb) as rows
            from saved c) r),
         now() + $11::bigint * interval '1 second'
  from outcome o where $9::text is not null and not o.refused)
select o.created, o.skipped, o.status, o.refused, c.*,
       (select coalesce(array_agg(distinct m.mentor_id), '{}') from mentor_assignments m
        where m.student_id in (select student_id from ins) and m.active) as mentor_ids
from outcome o left join saved c on true
order by c.idx
