output "primary_endpoint" {
  description = "host:port of the primary (reads and writes)."
  value       = aws_db_instance.primary.endpoint
}

output "primary_address" {
  description = "Host name of the primary."
  value       = aws_db_instance.primary.address
}

output "primary_identifier" {
  description = "RDS identifier of the primary (CloudWatch dimension)."
  value       = aws_db_instance.primary.identifier
}

output "master_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed master credentials (administration and the role bootstrap only)."
  value       = aws_db_instance.primary.master_user_secret[0].secret_arn
}

output "app_secret_arn" {
  description = "Secrets Manager ARN of the application role's login (username, password)."
  value       = aws_secretsmanager_secret.app.arn
}

output "migrator_secret_arn" {
  description = "Secrets Manager ARN of the migration role's login (username, password)."
  value       = aws_secretsmanager_secret.migrator.arn
}

output "kms_key_arn" {
  description = "KMS key of the database storage and of the role secrets."
  value       = aws_kms_key.this.arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.this.id
}

output "max_connections" {
  description = "The explicit max_connections of the parameter group."
  value       = var.max_connections
}
