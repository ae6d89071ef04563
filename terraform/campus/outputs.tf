output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.eks.cluster_name
}

output "load_balancer_dns_name" {
  description = "Point the public host name at this."
  value       = module.edge.dns_name
}

output "target_group_arn" {
  description = "Target group of the Campus pods (the overlay's TargetGroupBinding; also in terraform-outputs.env)."
  value       = module.edge.target_group_arn
}

output "database_endpoint" {
  description = "PostgreSQL primary host:port (QUARKUS_DATASOURCE_REACTIVE_URL / JDBC_URL)."
  value       = module.database.primary_endpoint
}

output "database_master_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed master login: only for the role bootstrap (README, Deploy) and administration."
  value       = module.database.master_secret_arn
}

output "database_app_secret_arn" {
  description = "Secrets Manager ARN of the application role's login (External Secrets source of campus-db)."
  value       = module.database.app_secret_arn
}

output "database_migrator_secret_arn" {
  description = "Secrets Manager ARN of the migration role's login (External Secrets source of campus-db-migrator)."
  value       = module.database.migrator_secret_arn
}

output "redis_endpoint" {
  description = "Redis primary endpoint (TLS)."
  value       = module.cache.primary_endpoint
}

output "redis_secret_arn" {
  description = "Secrets Manager ARN of the Redis AUTH token and URL (External Secrets source of campus-redis)."
  value       = module.cache.auth_secret_arn
}

output "mail_secret_arn" {
  description = "Secrets Manager ARN of the SMTP login of the account mails (External Secrets source of campus-mail); the operator puts in username and password."
  value       = module.mail.smtp_secret_arn
}

output "app_role_arn" {
  description = "IAM role for the campus service account (eks.amazonaws.com/role-arn annotation)."
  value       = module.eks.app_role_arn
}

output "alarm_critical_topic_arn" {
  description = "SNS topic of the CloudWatch alarms that page."
  value       = module.alarms.critical_topic_arn
}

output "alarm_warning_topic_arn" {
  description = "SNS topic of the CloudWatch alarms that open a ticket."
  value       = module.alarms.warning_topic_arn
}
