locals {
  family = "postgres${split(".", var.engine_version)[0]}"
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

# Only the application's security groups reach 5432; no egress rule at all.
resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL: 5432 from the Campus nodes and pods only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-postgres" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each                     = toset(var.client_security_group_ids)
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL from the application"
}

resource "aws_db_parameter_group" "this" {
  name        = "${var.name}-${local.family}"
  family      = local.family
  description = "Campus: pg_stat_statements, explicit max_connections, slow statement log"

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }
  parameter {
    name         = "max_connections"
    value        = var.max_connections
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "pg_stat_statements.track"
    value = "top"
  }
  parameter {
    name  = "pg_stat_statements.max"
    value = "10000"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = var.slow_statement_ms
  }
  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_kms_key" "this" {
  description         = "Encryption of ${var.name} PostgreSQL storage, backups and Performance Insights"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_db_instance" "primary" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  db_name        = var.database_name
  port           = 5432

  username = var.master_username
  # RDS generates the password and keeps it (rotating) in Secrets Manager; it never enters Terraform.
  manage_master_user_password = true

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  backup_retention_period   = var.backup_retention_days
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = 7
  enabled_cloudwatch_logs_exports       = ["postgresql"]
  auto_minor_version_upgrade            = true
  apply_immediately                     = false

  tags = var.tags
}

# No read replica: RDS cannot create one of a primary whose master password it manages in Secrets
# Manager. Multi-AZ gives the standby for failover; heavy reads stay on the primary.

# The application and the migrations log in as their own roles, never as the master user. Their
# passwords are generated here and kept in Secrets Manager under this module's key; the roles are
# created in PostgreSQL by the bootstrap step of the README (Deploy, step 5) with these passwords.
resource "random_password" "role" {
  for_each = local.roles
  length   = 40
  special  = false
}

locals {
  roles = {
    app      = var.app_username
    migrator = var.migrator_username
  }
}

resource "aws_secretsmanager_secret" "app" {
  name_prefix = "${var.name}/db-app-"
  description = "PostgreSQL login of the Campus application role (${var.app_username})"
  kms_key_id  = aws_kms_key.this.arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret" "migrator" {
  name_prefix = "${var.name}/db-migrator-"
  description = "PostgreSQL login of the Campus migration role (${var.migrator_username})"
  kms_key_id  = aws_kms_key.this.arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    username = var.app_username
    password = random_password.role["app"].result
  })
}

resource "aws_secretsmanager_secret_version" "migrator" {
  secret_id = aws_secretsmanager_secret.migrator.id
  secret_string = jsonencode({
    username = var.migrator_username
    password = random_password.role["migrator"].result
  })
}
