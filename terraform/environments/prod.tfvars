# Production: terraform -chdir=terraform/campus apply -var-file=../environments/prod.tfvars
# (state key campus/prod.tfstate). Sizes follow the prod Kustomize overlay: HPA up to 50 pods
# plus the rollout surge, 3 per m7g.xlarge node (NodeCapacityTest has the arithmetic).
environment         = "prod"
vpc_cidr            = "10.40.0.0/16"
single_nat_gateway  = false
node_instance_types = ["m7g.xlarge", "m6g.xlarge"]
nodes_per_zone_max  = 8
app_namespace       = "campus"
db_instance_class   = "db.r6g.xlarge"
db_max_connections  = 1100
cache_node_type     = "cache.r7g.large"
deletion_protection = true
