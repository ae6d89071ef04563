-- A user's eligibility for a course's certificate (CertificateRepository.eligibility): the rules
-- as evaluated by evaluation.sql (its slot), with the certificate if any by
-- user_certifications_user_id_certification_id_key.
with /*{evaluation}*/
select cert.id as certification_id, cert.course_id, cert.name, cert.course_title,
       cert.min_progress, cert.min_assessments, cert.min_average_score, cert.progress,
       cert.assessments, round(cert.average, 2)::float8 as average, cert.progress_met,
       cert.assessments_met, cert.average_met,
       uc.id as certificate_id, uc.verification_code, uc.issued_at, uc.revoked
from cert
  left join user_certifications uc on uc.user_id = $1 and uc.certification_id = cert.id
