output "primary_endpoint" {
  description = "host:port of the primary (reads and writes)."
  value       = aws_db_instance.primary.endpoint
}

output "primary_address" {
  description = "Host name of the primary."
  value       = aws_db_instance.primary.address
}

output "replica_address" {
  description = "Host name of the read replica."
  value       = aws_db_instance.replica.address
}

output "primary_identifier" {
  description = "RDS identifier of the primary (CloudWatch dimension)."
  value       = aws_db_instance.primary.identifier
}

output "replica_identifier" {
  description = "RDS identifier of the read replica (CloudWatch dimension)."
  value       = aws_db_instance.replica.identifier
}

output "master_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed master credentials."
  value       = aws_db_instance.primary.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.this.id
}

output "max_connections" {
  description = "The explicit max_connections of the parameter group."
  value       = var.max_connections
}
