-- Admin actions and security events, one row each, append-only. The service's role gets its
-- grants through V7's default privileges (select, insert, update, delete; the service only ever
-- inserts and reads). Newest first through the primary key; filtered by action through (action, id).
create table audit_log (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    actor_id    bigint,
    action      text not null,
    target_type text,
    target_id   text,
    before      jsonb,
    after       jsonb,
    client      text
);
create index audit_log_action_id on audit_log (action, id);
create index audit_log_actor_id on audit_log (actor_id, id) where actor_id is not null;
