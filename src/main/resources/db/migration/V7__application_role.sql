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

-- The schema's owner grants this; the deployment's bootstrap does when the migration role is not it.
do $$
begin
    if pg_has_role(current_user, (select nspowner from pg_namespace where nspname = 'public'), 'usage') then
        grant usage on schema public to campus_app_privileges;
    end if;
end
$$;

-- Everything the migrations created so far (V1 onwards, whatever number), and, through default
-- privileges of the migration role, every table, sequence and function later migrations create.
-- Only what the migration role owns: an extension's objects in the schema (pg_stat_statements,
-- created by the master user) are not ours to grant.
do $$
declare
    object record;
begin
    for object in
        select c.relkind, format('%I.%I', n.nspname, c.relname) as name
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and c.relowner = current_user::regrole
    loop
        if object.relkind = 'S' then
            execute format('grant usage, select on sequence %s to campus_app_privileges', object.name);
        else
            execute format('grant select, insert, update, delete on %s to campus_app_privileges', object.name);
        end if;
    end loop;
    for object in
        select p.oid::regprocedure::text as name
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prokind = 'f' and p.proowner = current_user::regrole
    loop
        execute format('grant execute on function %s to campus_app_privileges', object.name);
    end loop;
end
$$;
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
