output "primary_endpoint" {
  description = "Primary endpoint of the replication group (follows failovers)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "member_clusters" {
  description = "Node ids of the replication group (CloudWatch dimension CacheClusterId); ElastiCache names them <group>-001, -002, ... so they are known before apply."
  value       = [for i in range(var.node_count) : format("%s-%03d", aws_elasticache_replication_group.this.replication_group_id, i + 1)]
}

output "auth_secret_arn" {
  description = "Secrets Manager ARN holding the AUTH token and the rediss:// URL."
  value       = aws_secretsmanager_secret.auth.arn
}

output "security_group_id" {
  description = "Security group of the cache."
  value       = aws_security_group.this.id
}

output "kms_key_arn" {
  description = "KMS key of the Redis data and of its AUTH secret."
  value       = aws_kms_key.this.arn
}
