-- Using a password-reset token (AccountRepository.resetPassword): the token by its unique hash,
-- the user's other open reset tokens by account_tokens_user_idx (V8), the user's sessions by
-- sessions_user_idx (V1), all in one statement. The user's session epoch is raised (V13): a
-- session opened with the old password while this ran, unseen by its delete, ends too.
with t as (
  update account_tokens set used_at = now()
  where token_hash = $1 and purpose = 'RESET_PASSWORD' and used_at is null and expires_at > now()
  returning user_id),
u as (
  update users set password_hash = $2, email_confirmed_at = coalesce(email_confirmed_at, now()),
                   session_epoch = session_epoch + 1
  -- a token mailed before an admin disabled the account sets nothing while it is disabled
  from t where users.id = t.user_id and users.disabled_at is null and users.deleted_at is null
  returning users.id),
other as (
  update account_tokens set used_at = now()
  where user_id in (select id from u) and purpose = 'RESET_PASSWORD' and used_at is null
    and token_hash <> $1),
s as (delete from sessions where user_id in (select id from u) returning token_hash)
select u.id, s.token_hash from u left join s on true
