-- Assigning a mentor (MentorRepository.assign): inserts a new assignment or re-activates an old
-- one; an already active one keeps its date and is not touched (ON CONFLICT DO UPDATE would lock
-- and rewrite it, costing a transaction id and a durable commit for nothing). (xmax = 0) tells a
-- fresh insert from the conflict update. Users by primary key; the conflict on
-- mentor_assignments_mentor_id_student_id_key (V1).
-- a deleted account is no user to assign
with m as (select id, role from users where id = $1 and deleted_at is null),
s as (select id, role from users where id = $2 and deleted_at is null),
cur as (
  select assigned_at from mentor_assignments
  where mentor_id = $1 and student_id = $2 and active),
up as (
  insert into mentor_assignments as ma (mentor_id, student_id)
  select m.id, s.id from m, s
  where m.role = 'MENTOR' and s.role = 'STUDENT' and not exists (select 1 from cur)
  on conflict (mentor_id, student_id) do update
    set active = true,
        assigned_at = case when ma.active then ma.assigned_at else now() end
  returning ma.assigned_at, (ma.xmax = 0) as created)
select m.role as mentor_role, s.role as student_role,
  coalesce(up.assigned_at, cur.assigned_at) as assigned_at, coalesce(up.created, false) as created
from (select 1) one left join m on true left join s on true left join up on true
  left join cur on true
