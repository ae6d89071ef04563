# Development: terraform -chdir=terraform/campus apply -var-file=../environments/dev.tfvars
# (state key campus/dev.tfstate). Small and disposable: one NAT gateway, no deletion protection.
environment         = "dev"
vpc_cidr            = "10.41.0.0/16"
single_nat_gateway  = true
node_instance_types = ["t4g.large"]
nodes_per_zone_max  = 2
app_namespace       = "campus-dev"
db_instance_class   = "db.t4g.medium"
db_max_connections  = 200
cache_node_type     = "cache.t4g.small"
deletion_protection = false
