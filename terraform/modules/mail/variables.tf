variable "name" {
  description = "Identifier prefix of the mail resources (e.g. campus-prod)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
