-- Database roles of Campus, run once per database (and again after any change: every statement is
-- idempotent) by the master user with psql, before the first deployment (README, Deploy, step 5):
--   psql -v ON_ERROR_STOP=1 -v database=campus -v app_role=campus_app -v app_password=... \
--        -v migrator_role=campus_migrator -v migrator_password=... -f bootstrap-roles.sql
-- The migration role owns the schema (Flyway runs as it); the application role logs in for the
-- requests and holds only what V7 grants to campus_app_privileges: rows, sequences, functions.
-- Neither is superuser, creates roles or databases, reads other roles' statements
-- (pg_read_all_stats) or signals other roles' backends (pg_signal_backend).
\set ON_ERROR_STOP on

select format('create role %I nologin', 'campus_app_privileges')
where not exists (select from pg_roles where rolname = 'campus_app_privileges') \gexec

select format('create role %I login', :'migrator_role')
where not exists (select from pg_roles where rolname = :'migrator_role') \gexec
alter role :"migrator_role" with login nosuperuser nocreatedb nocreaterole noinherit
    password :'migrator_password';

select format('create role %I login', :'app_role')
where not exists (select from pg_roles where rolname = :'app_role') \gexec
alter role :"app_role" with login nosuperuser nocreatedb nocreaterole inherit
    password :'app_password';
grant campus_app_privileges to :"app_role";
-- An earlier version of this bootstrap granted it; it shows every role's statement text.
revoke pg_read_all_stats from :"app_role";

revoke connect on database :"database" from public;
grant connect on database :"database" to :"migrator_role", :"app_role";
grant usage, create on schema public to :"migrator_role";
grant usage on schema public to campus_app_privileges;

-- The doctor's database-wide statement view (it shows the application role's statements only).
create extension if not exists pg_stat_statements;
