-- Demo data (DemoDataGenerator): the admin, $2 mentors and $3 students, all with the password hash
-- $1. No index: a bulk load into empty tables (users_email_lower_uq only checks uniqueness).
insert into users (email, display_name, role, password_hash)
select 'admin@demo.campus', 'Demo Admin', 'ADMIN', $1
union all
select 'mentor' || g || '@demo.campus', 'Mentor ' || g, 'MENTOR', $1
from generate_series(1, $2) g
union all
select 'student' || g || '@demo.campus', 'Student ' || g, 'STUDENT', $1
from generate_series(1, $3) g
