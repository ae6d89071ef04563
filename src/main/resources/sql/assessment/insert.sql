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
with input as (
  select * from unnest($2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::date[])
    with ordinality as t(student_id, course_id, skill, score, feedback, assessed_on, idx)),
ins as (
  insert into assessments (student_id, mentor_id, course_id, skill, score, feedback, assessed_on)
  select student_id, $1, course_id, skill, score, feedback, assessed_on from input
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
         case when $8 and count(*) = 0 then 409 else 201 end as status
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
  from outcome o where $9::text is not null)
select o.created, o.skipped, o.status, c.*,
       (select coalesce(array_agg(distinct m.mentor_id), '{}') from mentor_assignments m
        where m.student_id in (select student_id from ins) and m.active) as mentor_ids
from outcome o left join saved c on true
order by c.idx
