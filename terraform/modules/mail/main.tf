# The SMTP login of the account mails (registration confirmation, password reset). Terraform
# creates the secret with an empty login; the operator puts in the SMTP provider's username and
# password (README, Deploy). Terraform never overwrites them, and they are never in its state.
resource "aws_kms_key" "this" {
  description         = "Encryption of the ${var.name} SMTP login secret"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_secretsmanager_secret" "smtp" {
  name_prefix = "${var.name}/mail-"
  description = "SMTP login (username, password) of the ${var.name} account mails; put in by the operator"
  kms_key_id  = aws_kms_key.this.arn
  tags        = var.tags
}

# An empty login so External Secrets can sync (and the pods start) before the operator has put in
# the real one; until then mails are refused by the SMTP server and logged as unsent. The label of
# its own keeps this version from being garbage-collected once the operator's versions have taken
# AWSCURRENT and AWSPREVIOUS: a version gone from AWS would be created again, emptying the login.
resource "aws_secretsmanager_secret_version" "smtp" {
  secret_id = aws_secretsmanager_secret.smtp.id
  secret_string = jsonencode({
    username = ""
    password = ""
  })
  version_stages = ["AWSCURRENT", "TERRAFORM_INITIAL"]

  lifecycle {
    ignore_changes = [secret_string, version_stages]
  }
}
