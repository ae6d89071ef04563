-- What a submission's rules need (AssessmentRepository.check), in one statement: the students by
-- primary key with their mentor through mentor_assignments_mentor_active_idx, the courses by
-- primary key, which (student, course) pairs ($5, $6: one pair per item naming a course) are live
-- enrollments by enrollments_user_id_course_id_key, and the idempotency key by
-- idempotency_keys_pkey. An expired key is dropped here so that the insert can take the key over;
-- a live one is read.
with expired as (
  delete from idempotency_keys
  where $4::text is not null and user_id = $1 and key = $4 and expires_at <= now()),
k as (
  select request_hash, status, response from idempotency_keys
  where $4::text is not null and user_id = $1 and key = $4 and expires_at > now())
select 'S' as kind, u.id, u.role,
       exists (select 1 from mentor_assignments m
               where m.mentor_id = $1 and m.student_id = u.id and m.active) as assigned,
       null::bigint as course_id,
       null::bytea as request_hash, null::int as status, null::text as response
-- a deleted account keeps its records and gains none: as if no such user
from users u where u.id = any($2::bigint[]) and u.deleted_at is null
union all
select 'C', c.id, c.status, c.instructor_id = $1, null, null, null, null
from courses c where c.id = any($3::bigint[])
union all
select 'E', p.student_id, null, null, p.course_id, null, null, null
from unnest($5::bigint[], $6::bigint[]) as p(student_id, course_id)
where exists (select 1 from enrollments e
              where e.user_id = p.student_id and e.course_id = p.course_id
                and e.status <> 'CANCELLED')
union all
select 'K', null, null, null, null, k.request_hash, k.status, k.response from k
