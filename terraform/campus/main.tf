locals {
  name = "campus-${var.environment}"
  tags = {
    Project     = "campus"
    Environment = var.environment
    ManagedBy   = "terraform"
  }
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
  vpc_id              = module.network.vpc_id
  private_subnet_ids  = module.network.private_subnet_ids
  public_access_cidrs = var.api_public_access_cidrs
  node_instance_types = var.node_instance_types
  node_min_size       = var.node_min_size
  node_max_size       = var.node_max_size
  app_namespace       = var.app_namespace
  app_secret_arns     = [module.database.master_secret_arn, module.cache.auth_secret_arn]
  tags                = local.tags
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
  db_instance_ids          = [module.database.primary_identifier, module.database.replica_identifier]
  db_max_connections       = var.db_max_connections
  cluster_name             = module.eks.cluster_name
  redis_member_clusters    = module.cache.member_clusters
  tags                     = local.tags
}
