-- Reading lessons, resuming, leaving courses, and what instructors see of their courses.

-- Lessons flagged as preview are readable by anyone while their course is published.
alter table lessons add column preview boolean not null default false;

-- Deleting or reordering lessons moves several positions in one statement: check uniqueness at
-- the end of the statement instead of row by row (nothing uses it as an ON CONFLICT arbiter).
alter table lessons drop constraint lessons_course_id_position_key;
alter table lessons add constraint lessons_course_id_position_key
    unique (course_id, position) deferrable initially immediate;

-- The lesson an enrolled user opened last and when ("resume", a course's students); set by the
-- lesson read itself. Kept apart from last_activity_at, which dashboards show and which only writes
-- that invalidate them change.
alter table enrollments add column last_lesson_id bigint references lessons (id) on delete set null;
alter table enrollments add column last_opened_at timestamptz;
-- deleting a lesson clears it from the enrollments that last opened it (foreign key check)
create index enrollments_last_lesson_idx on enrollments (last_lesson_id) where last_lesson_id is not null;

-- a course's students, newest enrollment first (keyset); enrollments per week (analytics). It
-- starts with course_id, so it also serves what enrollments_course_idx served.
create index enrollments_course_recent_idx on enrollments (course_id, enrolled_at desc, id desc);
drop index enrollments_course_idx;
-- per-course leaderboard: top N by progress and "how many are ahead of me"
create index enrollments_course_rank_idx on enrollments (course_id, completed_lessons desc, user_id)
    where status <> 'CANCELLED';

-- Achievement points count towards a user's points from the moment they are awarded, whichever
-- statement awards them (lesson completion, enrollment, assessments, the recalculation job): the
-- statement's new user_achievements rows are summed per user in one upsert at the end of that same
-- statement. A trigger, because a statement may not update the user_stats row it already updated
-- in one of its CTEs.
create function count_achievement_points() returns trigger language plpgsql as $$
begin
    insert into user_stats as s (user_id, points)
    select n.user_id, sum(a.points)
    from new_awards n join achievements a on a.id = n.achievement_id
    group by n.user_id
    having sum(a.points) > 0
    on conflict (user_id) do update set points = s.points + excluded.points, updated_at = now();
    return null;
end
$$;

-- Achievements awarded before their points were counted.
insert into user_stats as s (user_id, points)
select ua.user_id, sum(a.points)
from user_achievements ua join achievements a on a.id = ua.achievement_id
group by ua.user_id
having sum(a.points) > 0
on conflict (user_id) do update set points = s.points + excluded.points, updated_at = now();

create trigger user_achievements_count_points
    after insert on user_achievements
    referencing new table as new_awards
    for each statement execute function count_achievement_points();

-- What a job run's batches wrote, summed by name (e.g. certificates issued by the achievements job).
alter table job_runs add column counts jsonb not null default '{}';

-- A certificate verification code in SQL, for certificates issued by bulk statements: 16 characters
-- of Crockford base32 (the alphabet of VerificationCodes), 5 random bits each, taken from the bytes
-- of two random UUIDs that carry no version or variant bits (pg_strong_random underneath).
create function campus_verification_code() returns text language sql volatile as $$
    select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(b, i) % 32 + 1, 1), ''
                      order by o)
    from (select uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) as b) r,
         unnest(array[0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17])
           with ordinality as x(i, o)
$$;
