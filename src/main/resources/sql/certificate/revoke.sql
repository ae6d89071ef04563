-- Revoking a certificate (CertificateRepository.revoke), idempotent: the certificate by primary
-- key, its certification and course by primary key; the activity part comes from progress/.
with upd as (
  update user_certifications set revoked = true where id = $1 and not revoked
  returning id, user_id),
ev as (
  /*{events}*/)
select uc.id as certificate_id, uc.certification_id, ce.name, ce.course_id,
       c.title as course_title, uc.verification_code, uc.issued_at, uc.revoked,
       uc.user_id as holder_id, upd.id is not null as revoked_now
from user_certifications uc join certifications ce on ce.id = uc.certification_id
  join courses c on c.id = ce.course_id left join upd on true
where uc.id = $1
