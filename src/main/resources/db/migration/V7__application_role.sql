-- Requests run as a role that may read and write the rows, never change the schema; migrations run as
-- the owner of the schema objects. `campus_app_privileges` carries the grants and cannot log in; the
-- deployment creates the login role the service uses and makes it a member (README, Database roles).
-- Roles are cluster-wide: create the group only when missing (the deployment may have created it,
-- and a migration role without CREATEROLE then just finds it).
do $$
begin
    if not exists (select from pg_roles where rolname = 'campus_app_privileges') then
        create role campus_app_privileges nologin;
    end if;
exception
    -- another database on the same server created it at the same moment
    when duplicate_object or unique_violation then null;
end
$$;

-- Before PostgreSQL 15 every role may create objects in the public schema; only its owner can
-- take that back (on 15 and later, and on RDS, nobody but the owner has it in the first place).
do $$
begin
    if pg_has_role(current_user, (select nspowner from pg_namespace where nspname = 'public'), 'usage') then
        revoke create on schema public from public;
    end if;
end
$$;

grant usage on schema public to campus_app_privileges;

-- Everything the migrations created so far (V1 onwards, whatever number), and, through default
-- privileges of the migration role, every table, sequence and function later migrations create.
grant select, insert, update, delete on all tables in schema public to campus_app_privileges;
grant usage, select on all sequences in schema public to campus_app_privileges;
grant execute on all functions in schema public to campus_app_privileges;
alter default privileges in schema public
    grant select, insert, update, delete on tables to campus_app_privileges;
alter default privileges in schema public
    grant usage, select on sequences to campus_app_privileges;
alter default privileges in schema public
    grant execute on functions to campus_app_privileges;

-- Refreshing a materialized view takes its owner: the service calls this function, which runs as
-- the migration role and can do nothing else.
create function refresh_leaderboard() returns void
    language sql security definer set search_path = public, pg_temp as $$
    refresh materialized view concurrently leaderboard;
$$;
revoke execute on function refresh_leaderboard() from public;
grant execute on function refresh_leaderboard() to campus_app_privileges;
