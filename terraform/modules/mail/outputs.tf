output "smtp_secret_arn" {
  description = "Secrets Manager ARN of the SMTP login (External Secrets source of campus-mail)."
  value       = aws_secretsmanager_secret.smtp.arn
}

output "kms_key_arn" {
  description = "KMS key of the SMTP login secret."
  value       = aws_kms_key.this.arn
}
