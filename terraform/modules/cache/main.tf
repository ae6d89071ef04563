resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redis"
  description = "Redis: 6379 from the Campus nodes and pods only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-redis" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each                     = toset(var.client_security_group_ids)
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  description                  = "Redis from the application"
}

# Campus keeps only expiring cache entries in Redis: evict the least recently used of them.
resource "aws_elasticache_parameter_group" "this" {
  name   = "${var.name}-redis7"
  family = "redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "volatile-lru"
  }
  # Pub/sub invalidations: a slow subscriber is cut off rather than exhausting memory.
  parameter {
    name  = "client-output-buffer-limit-pubsub-hard-limit"
    value = "33554432"
  }

  tags = var.tags
}

# The AUTH token is generated here and kept in Secrets Manager; the state backend must be encrypted.
resource "random_password" "auth" {
  length  = 48
  special = false
}

# Key of the HMAC on every cached value (campus.cache.hmac-key): shared by all pods, never given
# to Redis, so a value written into Redis by anyone else is rejected.
resource "random_password" "cache_hmac" {
  length  = 64
  special = false
}

resource "aws_kms_key" "this" {
  description         = "Encryption of ${var.name} Redis data and its AUTH secret"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_secretsmanager_secret" "auth" {
  name_prefix = "${var.name}/redis-"
  description = "Redis AUTH token and URL of ${var.name}, and the key that signs cached values"
  kms_key_id  = aws_kms_key.this.arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "auth" {
  secret_id = aws_secretsmanager_secret.auth.id
  secret_string = jsonencode({
    token    = random_password.auth.result
    hmac_key = random_password.cache_hmac.result
    hosts    = "rediss://:${random_password.auth.result}@${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
  })
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Campus L2 cache and invalidation channel"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = [aws_security_group.this.id]

  num_cache_clusters         = var.node_count
  automatic_failover_enabled = true
  multi_az_enabled           = true

  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.this.arn
  auth_token                 = random_password.auth.result
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = 1
  maintenance_window         = "sun:04:30-sun:05:30"
  auto_minor_version_upgrade = true
  apply_immediately          = false

  tags = var.tags
}
