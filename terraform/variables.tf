variable "project_id" {
  description = "Google Cloud project id everything is created in."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the functions, the database, the queue, the buckets and the scheduler job."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name and of the Pub/Sub topic ids (PUBSUB_TOPIC_PREFIX)."
  type        = string
  default     = "bytereview-"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}-$", var.name_prefix))
    error_message = "name_prefix must be 2-16 lowercase letters, digits or hyphens, start with a letter and end with a hyphen."
  }
}

variable "frontend_url" {
  description = "Where the OAuth callback sends the browser back (FRONTEND_URL), e.g. https://app.example.com/integrations."
  type        = string

  validation {
    condition     = can(regex("^https://", var.frontend_url))
    error_message = "frontend_url must be an https:// URL."
  }
}

variable "frontend_origins" {
  description = "Browser origins allowed to upload straight to the uploads bucket (CORS of the resumable upload)."
  type        = list(string)

  validation {
    condition     = length(var.frontend_origins) > 0 && alltrue([for o in var.frontend_origins : can(regex("^https://[^/]+$", o))])
    error_message = "frontend_origins must list at least one origin, each https://host[:port] with no path."
  }
}

variable "oauth_client_id" {
  description = "Client id of the OAuth client made in the console (README, Deploy to Google Cloud, step 3). Its secret goes to Secret Manager, never here."
  type        = string

  validation {
    condition     = can(regex("\\.apps\\.googleusercontent\\.com$", var.oauth_client_id))
    error_message = "oauth_client_id must end with .apps.googleusercontent.com."
  }
}

variable "firebase_project_id" {
  description = "Firebase project whose ID tokens the api accepts; null means this project."
  type        = string
  default     = null
}

variable "gmail_enabled" {
  description = "Gmail feature flag (GMAIL_ENABLED)."
  type        = bool
  default     = false
}

variable "vertex" {
  description = "Gemini on Vertex AI: region, default model, and the requests-per-minute quota the extraction queue is sized to."
  type = object({
    location            = optional(string, "us-central1")
    model               = optional(string, "gemini-2.5-flash")
    requests_per_minute = optional(number, 300)
    quota_share         = optional(number, 0.8)
  })
  default = {}

  validation {
    condition     = var.vertex.requests_per_minute >= 1 && var.vertex.quota_share > 0 && var.vertex.quota_share <= 1
    error_message = "vertex.requests_per_minute must be at least 1 and vertex.quota_share in (0, 1]."
  }
}

variable "extraction_window_pages" {
  description = "A PDF of more pages is extracted in windows of this many pages, one page of overlap (README: Long documents and citations)."
  type        = number
  default     = 20

  validation {
    condition     = var.extraction_window_pages >= 2 && var.extraction_window_pages <= 500 && floor(var.extraction_window_pages) == var.extraction_window_pages
    error_message = "extraction_window_pages must be a whole number from 2 to 500."
  }
}

variable "database" {
  description = "Cloud SQL for PostgreSQL: machine tier, max_connections (the connection budget is checked against it less the reserve), availability, backups."
  type = object({
    tier                  = optional(string, "db-custom-2-7680")
    version               = optional(string, "POSTGRES_16")
    max_connections       = optional(number, 300)
    connection_reserve    = optional(number, 30)
    availability_type     = optional(string, "REGIONAL")
    disk_size_gb          = optional(number, 20)
    backup_retention_days = optional(number, 14)
    deletion_protection   = optional(bool, true)
  })
  default = {}

  validation {
    condition     = contains(["ZONAL", "REGIONAL"], var.database.availability_type)
    error_message = "database.availability_type must be ZONAL or REGIONAL."
  }

  validation {
    condition     = var.database.connection_reserve >= 10 && var.database.connection_reserve < var.database.max_connections
    error_message = "database.connection_reserve must be at least 10 (migrations, the grant step, an operator) and below max_connections."
  }
}

variable "functions" {
  description = "Per-function overrides of the sizes in functions.tf (min/max instances, concurrency, memory, cpu, timeout)."
  type = map(object({
    min_instances   = optional(number)
    max_instances   = optional(number)
    concurrency     = optional(number)
    memory          = optional(string)
    cpu             = optional(string)
    timeout_seconds = optional(number)
  }))
  default = {}

  # The functions are the keys of local.function_defaults (functions.tf), listed once there
  # (a validation may refer to a local since Terraform 1.9).
  validation {
    condition     = alltrue([for name in keys(var.functions) : contains(keys(local.function_defaults), name)])
    error_message = "functions may only override the functions this module deploys: ${join(", ", keys(local.function_defaults))}."
  }
}

variable "source_dir" {
  description = "Where `npm run build` put one deployable source per function (<source_dir>/<function>/), relative to this module."
  type        = string
  default     = "../dist/functions"
}

variable "export_retention_days" {
  description = "Days produced export files stay in the exports bucket before its lifecycle rule deletes them."
  type        = number
  default     = 7

  validation {
    condition     = var.export_retention_days >= 1 && var.export_retention_days <= 365
    error_message = "export_retention_days must be 1-365."
  }
}

variable "api_rate_limit_per_minute" {
  description = "api requests per user per minute before 429 rate_limited (API_RATE_LIMIT_PER_MINUTE)."
  type        = number
  default     = 600

  validation {
    condition     = var.api_rate_limit_per_minute >= 1 && var.api_rate_limit_per_minute <= 100000
    error_message = "api_rate_limit_per_minute must be 1-100000."
  }
}

variable "auto_run_debounce_seconds" {
  description = "Seconds a job's auto-run waits for more files after the last one arrived (AUTO_RUN_DEBOUNCE_SECONDS)."
  type        = number
  default     = 30

  validation {
    condition     = var.auto_run_debounce_seconds >= 0 && var.auto_run_debounce_seconds <= 3600
    error_message = "auto_run_debounce_seconds must be 0-3600."
  }
}

variable "cleanup_schedule" {
  description = "Cron schedule (in the scheduler's time zone, UTC) of the cleanup call."
  type        = string
  default     = "*/10 * * * *"
}

variable "dead_letter_max_attempts" {
  description = "Deliveries of a Pub/Sub message before it is dead-lettered (Pub/Sub allows 5-100)."
  type        = number
  default     = 10

  validation {
    condition     = var.dead_letter_max_attempts >= 5 && var.dead_letter_max_attempts <= 100
    error_message = "dead_letter_max_attempts must be 5-100."
  }
}

variable "network" {
  description = "Private networking: the VPC the database's private IP and the functions' egress share."
  type = object({
    connector_cidr     = optional(string, "10.8.0.0/28")
    psa_prefix_length  = optional(number, 20)
    connector_machine  = optional(string, "e2-micro")
    connector_max_inst = optional(number, 3)
  })
  default = {}

  validation {
    condition     = can(cidrhost(var.network.connector_cidr, 0)) && endswith(var.network.connector_cidr, "/28")
    error_message = "network.connector_cidr must be a /28 range (Serverless VPC Access requires /28)."
  }
}

variable "alerts" {
  description = "Alert thresholds and where alerts go (notification channel ids, made in the console or elsewhere)."
  type = object({
    notification_channels   = optional(list(string), [])
    task_failure_ratio      = optional(number, 0.1)
    queue_delay_seconds     = optional(number, 900)
    connections_budget_pct  = optional(number, 0.8)
    invalid_grants_per_hour = optional(number, 5)
  })
  default = {}

  validation {
    condition     = var.alerts.task_failure_ratio > 0 && var.alerts.task_failure_ratio < 1 && var.alerts.connections_budget_pct > 0 && var.alerts.connections_budget_pct <= 1
    error_message = "alerts.task_failure_ratio must be in (0, 1) and alerts.connections_budget_pct in (0, 1]."
  }
}

variable "deployer_service_account" {
  description = "Email of the service account Cloud Build deploys with (README step 2); it also runs the migrations as its IAM database user."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]+@[a-z0-9-]+\\.iam\\.gserviceaccount\\.com$", var.deployer_service_account))
    error_message = "deployer_service_account must be a service account email (name@project.iam.gserviceaccount.com)."
  }
}
