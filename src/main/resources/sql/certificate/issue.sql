-- Issuing a certificate (CertificateRepository.issue): the rules of evaluation.sql (its slot)
-- re-checked in the inserting statement, the insert guarded by
-- user_certifications_user_id_certification_id_key; the activity part comes from progress/.
-- The main query reads the snapshot from before the insert: a new certificate comes from ins, one
-- issued earlier from uc. Both are null only when a concurrent request won the insert.
with /*{evaluation}*/,
ins as (
  insert into user_certifications (user_id, certification_id, verification_code)
  select $1, cert.id, $4 from cert
  where cert.progress_met and cert.assessments_met and cert.average_met
  on conflict (user_id, certification_id) do nothing
  returning id, verification_code, issued_at, revoked),
ev as (
  /*{events}*/)
select cert.id as certification_id, cert.course_id, cert.name, cert.course_title,
       cert.min_progress, cert.min_assessments, cert.min_average_score, cert.progress,
       cert.assessments, round(cert.average, 2)::float8 as average, cert.progress_met,
       cert.assessments_met, cert.average_met,
       ins.id is not null as issued_now,
       coalesce(ins.id, uc.id) as certificate_id,
       coalesce(ins.verification_code, uc.verification_code) as verification_code,
       coalesce(ins.issued_at, uc.issued_at) as issued_at,
       coalesce(ins.revoked, uc.revoked) as revoked
from cert
  left join ins on true
  left join user_certifications uc on uc.user_id = $1 and uc.certification_id = cert.id
