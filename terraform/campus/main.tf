locals {
  name = "campus-${var.environment}"
  tags = {
    Project     = "campus"
    Environment = var.environment
    ManagedBy   = "terraform"
  }
  # Amazon SES's SMTP endpoint of the region unless another provider is named.
  mail_smtp_host = var.mail_smtp_host != "" ? var.mail_smtp_host : "email-smtp.${var.region}.amazonaws.com"
}

module "network" {
  source             = "../modules/network"
  name               = local.name
  cidr_block         = var.vpc_cidr
  availability_zones = var.availability_zones
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.name
  tags               = local.tags
}

module "eks" {
  source              = "../modules/eks"
  cluster_name        = local.name
  kubernetes_version  = var.kubernetes_version
  private_subnet_ids  = module.network.private_subnet_ids
  public_access_cidrs = var.api_public_access_cidrs
  node_instance_types = var.node_instance_types
  nodes_per_zone_min  = var.nodes_per_zone_min
  nodes_per_zone_max  = var.nodes_per_zone_max
  app_namespace       = var.app_namespace
  # The application and migration roles' logins, Redis and the SMTP login; never the master user.
  app_secret_arns  = [module.database.app_secret_arn, module.database.migrator_secret_arn, module.cache.auth_secret_arn, module.mail.smtp_secret_arn]
  app_kms_key_arns = [module.database.kms_key_arn, module.cache.kms_key_arn, module.mail.kms_key_arn]
  tags             = local.tags
}

module "cluster_addons" {
  source             = "../modules/cluster-addons"
  cluster_name       = module.eks.cluster_name
  kubernetes_version = var.kubernetes_version
  region             = var.region
  vpc_id             = module.network.vpc_id
  oidc_provider_arn  = module.eks.oidc_provider_arn
  runbook_base_url   = var.runbook_base_url
  alert_topic_arns = {
    critical = module.alarms.critical_topic_arn
    warning  = module.alarms.warning_topic_arn
  }
  tags = local.tags
}

module "database" {
  source                    = "../modules/database"
  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [module.eks.cluster_security_group_id]
  engine_version            = var.db_engine_version
  instance_class            = var.db_instance_class
  max_connections           = var.db_max_connections
  deletion_protection       = var.deletion_protection
  tags                      = local.tags
}

module "cache" {
  source                    = "../modules/cache"
  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [module.eks.cluster_security_group_id]
  node_type                 = var.cache_node_type
  node_count                = 3
  tags                      = local.tags
}

module "mail" {
  source = "../modules/mail"
  name   = local.name
  tags   = local.tags
}

module "edge" {
  source                   = "../modules/edge"
  name                     = local.name
  vpc_id                   = module.network.vpc_id
  public_subnet_ids        = module.network.public_subnet_ids
  certificate_arn          = var.certificate_arn
  target_security_group_id = module.eks.cluster_security_group_id
  deletion_protection      = var.deletion_protection
  tags                     = local.tags
}

module "alarms" {
  source                   = "../modules/alarms"
  name                     = local.name
  alarm_email              = var.alarm_email
  load_balancer_arn_suffix = module.edge.arn_suffix
  target_group_arn_suffix  = module.edge.target_group_arn_suffix
  db_instance_id           = module.database.primary_identifier
  db_max_connections       = var.db_max_connections
  cluster_name             = module.eks.cluster_name
  redis_member_clusters    = module.cache.member_clusters
  tags                     = local.tags
}

# Everything the Kustomize overlay of this environment needs from AWS, written where the overlay
# reads it (commit it: ARNs, host names and CIDRs, no secret). The overlay takes the secrets' ARNs,
# the IAM role, the target group and the subnets' CIDRs from here, never from hand-copied values.
resource "local_file" "overlay_values" {
  filename        = "${path.root}/../../k8s/overlays/${var.environment}/terraform-outputs.env"
  file_permission = "0644"
  content         = <<-EOT
    # Written by terraform apply (terraform/campus, environments/${var.environment}.tfvars). Do not edit.
    AWS_REGION=${var.region}
    APP_ROLE_ARN=${module.eks.app_role_arn}
    DB_APP_SECRET_ARN=${module.database.app_secret_arn}
    DB_MIGRATOR_SECRET_ARN=${module.database.migrator_secret_arn}
    REDIS_SECRET_ARN=${module.cache.auth_secret_arn}
    MAIL_SECRET_ARN=${module.mail.smtp_secret_arn}
    TARGET_GROUP_ARN=${module.edge.target_group_arn}
    PUBLIC_SUBNETS_CIDR=${module.network.public_subnets_cidr}
    DATA_SUBNETS_CIDR=${module.network.data_subnets_cidr}
  EOT
}

# The application settings that depend on the environment's endpoints (merged into campus-config):
# the database URLs, the load balancer's subnets, whose X-Forwarded-For the rate limits trust, and
# the SMTP server and sender of the account mails (the login is in the mail secret).
resource "local_file" "overlay_settings" {
  filename        = "${path.root}/../../k8s/overlays/${var.environment}/terraform-settings.env"
  file_permission = "0644"
  content         = <<-EOT
    QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://${module.database.primary_endpoint}/campus?sslmode=verify-full
    QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://${module.database.primary_endpoint}/campus?sslmode=verify-full&sslrootcert=/etc/campus/tls/rds-ca.pem
    CAMPUS_OPS_RATE_LIMIT_TRUSTED_PROXIES=${join(",", module.network.public_subnet_cidrs)}
    QUARKUS_MAILER_HOST=${local.mail_smtp_host}
    QUARKUS_MAILER_FROM=${var.mail_from}
  EOT
}
