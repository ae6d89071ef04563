-- Admins can disable accounts (no login, sessions end); deleted accounts keep their row, anonymized,
-- so learning records stay without identity.
alter table users
    add column disabled_at timestamptz,
    add column deleted_at  timestamptz;
