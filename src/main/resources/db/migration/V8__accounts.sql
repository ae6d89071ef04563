-- Account features: email confirmation, password reset, a user's list of sessions, idle timeout.

alter table users add column email_confirmed_at timestamptz;

-- Listed to the user as "my sessions"; last use is written in batches (SessionActivity), not per request.
alter table sessions
    add column user_agent   text check (length(user_agent) <= 512),
    add column last_used_at timestamptz not null default now();

-- Single-use tokens mailed to the account's address: only their SHA-256 is stored.
create table account_tokens (
    id         bigint generated always as identity primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    purpose    text        not null check (purpose in ('CONFIRM_EMAIL', 'RESET_PASSWORD')),
    token_hash bytea       not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index account_tokens_user_idx on account_tokens (user_id, purpose);
create index account_tokens_expires_idx on account_tokens (expires_at);

-- When each kind of account mail last went to a user: at most one per kind and interval.
create table account_mails (
    user_id      bigint      not null references users (id) on delete cascade,
    kind         text        not null check (kind in ('CONFIRM_EMAIL', 'RESET_PASSWORD', 'REGISTERED_AGAIN')),
    last_sent_at timestamptz not null,
    primary key (user_id, kind)
);
