-- A student's active mentors by id (MentorRepository.mentors, keyset pages), with the viewer's right
-- to see them checked in the same statement: both read mentor_assignments_student_active_idx (V1);
-- the viewer's assignment also the (mentor_id, student_id) unique index.
with access as (
  select ($2::boolean or exists (select 1 from mentor_assignments m
                                 where m.mentor_id = $3 and m.student_id = $1 and m.active)) as ok,
         exists (select 1 from users where id = $1) as found)
select access.ok, access.found, x.* from access left join lateral (
  select u.id, u.display_name, u.email, ma.assigned_at
  from mentor_assignments ma join users u on u.id = ma.mentor_id
  where access.ok and ma.student_id = $1 and ma.active /*{keyset}*/
  order by ma.mentor_id
  limit $4) x on true
