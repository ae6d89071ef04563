output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer), one per zone."
  value       = [for zone in var.availability_zones : aws_subnet.public[zone].id]
}

output "private_subnet_ids" {
  description = "Private subnets (EKS nodes and pods), one per zone."
  value       = [for zone in var.availability_zones : aws_subnet.private[zone].id]
}

output "data_subnet_ids" {
  description = "Isolated data subnets (RDS, ElastiCache), one per zone."
  value       = [for zone in var.availability_zones : aws_subnet.data[zone].id]
}

output "public_subnet_cidrs" {
  description = "CIDRs of the public subnets, one per zone: the load balancer's addresses, the only peers whose X-Forwarded-For the service reads."
  value       = [for zone in var.availability_zones : local.public_cidrs[zone]]
}

output "public_subnets_cidr" {
  description = "One CIDR covering the three public subnets (the load balancer's addresses) and the data subnets: the pods' NetworkPolicy admits it except data_subnets_cidr."
  value       = cidrsubnet(var.cidr_block, 2, 0)
}

output "data_subnets_cidr" {
  description = "One CIDR covering the three data subnets (PostgreSQL and Redis, for the pods' egress NetworkPolicy)."
  value       = cidrsubnet(var.cidr_block, 4, 3)
}
