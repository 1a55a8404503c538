# What the code names, in one place: topics from shared/messaging/contracts.ts, the queue
# named EXTRACTION_QUEUE, the function URLs the code is told. test/terraform checks these
# against the code so the two cannot drift.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  prefix         = var.name_prefix
  project_number = data.google_project.this.number

  # The contract's topics (shared/messaging/contracts.ts) and their Pub/Sub ids
  # (shared/messaging/pubsub.ts pubsubTopicId: prefix + dots as dashes).
  topics = {
    "run.requested"          = "${local.prefix}run-requested"
    "run.completed"          = "${local.prefix}run-completed"
    "export.requested"       = "${local.prefix}export-requested"
    "drive.import.requested" = "${local.prefix}drive-import-requested"
    "gmail.import.requested" = "${local.prefix}gmail-import-requested"
    # Gmail's watch publishes here (GMAIL_WATCH_TOPIC), not our code.
    "gmail.notification" = "${local.prefix}gmail-notification"
  }

  # Cloud Tasks queue id; the code reads it as EXTRACTION_QUEUE.
  extraction_queue = "extraction"
  # Cloud Tasks queue id; the code reads it as WEBHOOK_QUEUE.
  webhook_queue = "webhook"

  # Cloud Tasks queue of delayed Pub/Sub messages (connector job retries at their due
  # time); the code reads it as DELAYED_MESSAGES_QUEUE.
  delayed_messages_queue = "delayed-messages"

  # A 2nd gen function's URL is https://<region>-<project>.cloudfunctions.net/<name>; it
  # is known before the function exists, so functions can be told each other's URL (and
  # their own: the OIDC audience) without a dependency cycle.
  function_url = { for name in keys(local.functions) : name => "https://${var.region}-${var.project_id}.cloudfunctions.net/${local.prefix}${name}" }

  services = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "cloudtasks.googleapis.com",
    "compute.googleapis.com",
    "eventarc.googleapis.com",
    "gmail.googleapis.com",
    "drive.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
    "aiplatform.googleapis.com",
    "vpcaccess.googleapis.com",
    "identitytoolkit.googleapis.com",
  ]
}

resource "google_project_service" "enabled" {
  for_each = toset(local.services)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
