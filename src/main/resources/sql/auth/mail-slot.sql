-- Taking the mail slot of one kind for the account of an address (AccountRepository.mailSlot):
-- the user by users_email_lower_uq (V1), the slot by the account_mails primary key
-- (user_id, kind) (V8); with a token hash ($4) the token is stored in the same statement.
-- A disabled or deleted account gets no mail: it could not use what the mail offers; nor does a
-- confirmed address get another confirmation.
with u as (
  select id, email, display_name from users
  where lower(email) = lower($1) and disabled_at is null and deleted_at is null
    and ($2 <> 'CONFIRM_EMAIL' or email_confirmed_at is null)),
slot as (
  insert into account_mails (user_id, kind, last_sent_at)
  select id, $2, now() from u
  -- a refused repeat must not lock the row (a transaction id and a WAL flush for every refusal);
  -- the conflict clause still settles two requests racing for a free slot
  where not exists (select 1 from account_mails m
                    where m.user_id = u.id and m.kind = $2
                      and m.last_sent_at > now() - make_interval(secs => $3))
  on conflict (user_id, kind) do update
    set last_sent_at = excluded.last_sent_at
    where account_mails.last_sent_at <= now() - make_interval(secs => $3)
  returning user_id),
t as (
  insert into account_tokens (user_id, purpose, token_hash, expires_at)
  select user_id, $2, $4, now() + make_interval(secs => $5) from slot
  where $4::bytea is not null)
select u.id, u.email, u.display_name from u join slot on slot.user_id = u.id
