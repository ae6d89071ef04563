-- A session counts only while its epoch is its user's: ending every session of a user (a password
-- change or reset, a role change, logging out everywhere) raises the user's epoch as it deletes
-- the rows it sees. A login that read the old password while the change ran opens its session
-- with the epoch it read, a row the change's delete could not see: that session is over all the
-- same. Constant defaults: no table rewrite.
alter table users add column session_epoch integer not null default 0;
alter table sessions add column epoch integer not null default 0;
