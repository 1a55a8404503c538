# Pub/Sub topics of the contract, their dead letters, the extraction queue and the
# cleanup schedule.

resource "google_pubsub_topic" "topic" {
  for_each = local.topics

  name                       = each.value
  labels                     = { app = "bytereview" }
  message_retention_duration = "86400s"

  depends_on = [google_project_service.enabled]
}

# Gmail's push service publishes the watch notifications (users.watch topicName).
resource "google_pubsub_topic_iam_member" "gmail_publisher" {
  topic  = google_pubsub_topic.topic["gmail.notification"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:gmail-api-push@system.gserviceaccount.com"
}

# One dead-letter topic per consuming function, and a subscription on it that keeps what
# died for 7 days (read it with `gcloud pubsub subscriptions pull`).
resource "google_pubsub_topic" "dead_letter" {
  for_each = local.event_functions

  name   = "${local.prefix}${each.key}-dead-letter"
  labels = { app = "bytereview", dead_letter = "true" }

  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_subscription" "dead_letter_kept" {
  for_each = local.event_functions

  name                       = "${local.prefix}${each.key}-dead-letter-kept"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  message_retention_duration = "604800s"
  retain_acked_messages      = true
  ack_deadline_seconds       = 60
  labels                     = { app = "bytereview", dead_letter = "true" }

  expiration_policy {
    ttl = ""
  }
}

# Dead-lettering is done by the Pub/Sub service agent: it publishes the dead message to
# the dead-letter topic and acknowledges it on the source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.event_functions

  topic  = google_pubsub_topic.dead_letter[each.key].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Eventarc creates the trigger's subscription itself and the provider cannot set a
# dead-letter policy on it, so it is set here on the subscription the trigger reports,
# with the service agent's subscriber grant on it; re-run whenever the trigger changes.
resource "terraform_data" "dead_letter_policy" {
  for_each = local.event_functions

  triggers_replace = [
    google_cloudfunctions2_function.fn[each.key].event_trigger[0].trigger,
    google_pubsub_topic.dead_letter[each.key].id,
    var.dead_letter_max_attempts,
  ]

  provisioner "local-exec" {
    command = "${path.module}/scripts/attach-dead-letter.sh"
    environment = {
      PROJECT          = var.project_id
      TRIGGER          = google_cloudfunctions2_function.fn[each.key].event_trigger[0].trigger
      DEAD_LETTER      = google_pubsub_topic.dead_letter[each.key].id
      MAX_ATTEMPTS     = tostring(var.dead_letter_max_attempts)
      PUBSUB_AGENT     = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
      ACK_DEADLINE_SEC = tostring(min(600, each.value.timeout_seconds))
    }
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher]
}

locals {
  # The Cloud Tasks queues, one entry each (one resource below); `rate_limits` and
  # `log_sampling_ratio` null leave the queue's own defaults.
  tasks_queues = {
    # Extraction tasks: dispatch rate sized to the Vertex AI quota (a share of its requests
    # per minute, the rest left for retries and other callers), concurrency to the functions
    # that can take them, retries with backoff (the stage keeps its own attempt budget too).
    extraction = {
      name = local.extraction_queue
      rate_limits = {
        max_dispatches_per_second = max(0.1, floor(var.vertex.requests_per_minute * var.vertex.quota_share) / 60)
        max_concurrent_dispatches = local.functions["extraction"].max_instances * local.functions["extraction"].concurrency
      }
      retry_config       = { max_attempts = 10, min_backoff = "2s", max_backoff = "300s", max_doublings = 8 }
      log_sampling_ratio = 0.1
    }
    # Webhook delivery attempts: the stage schedules each retry itself (a delayed task, the
    # Standard Webhooks schedule over a day) and acknowledges a failed attempt, so the
    # queue's own retries are only for a crash mid-attempt.
    webhook = {
      name = local.webhook_queue
      rate_limits = {
        max_dispatches_per_second = 20
        max_concurrent_dispatches = local.functions["webhook"].max_instances * local.functions["webhook"].concurrency
      }
      retry_config       = { max_attempts = 5, min_backoff = "10s", max_backoff = "600s", max_doublings = 5 }
      log_sampling_ratio = 0.1
    }
    # Delayed Pub/Sub messages (shared/messaging/cloud-tasks.ts createCloudTasksDelayedPublisher):
    # each task calls Pub/Sub's topics.publish at its scheduleTime with an OAuth token of the
    # tasks invoker. Its own retries are Cloud Tasks' (a failed publish is tried again).
    delayed_messages = {
      name               = local.delayed_messages_queue
      rate_limits        = null
      retry_config       = { max_attempts = 20, min_backoff = "1s", max_backoff = "60s", max_doublings = 6 }
      log_sampling_ratio = null
    }
  }
}

resource "google_cloud_tasks_queue" "queue" {
  for_each = local.tasks_queues

  name     = each.value.name
  location = var.region

  dynamic "rate_limits" {
    for_each = each.value.rate_limits == null ? [] : [each.value.rate_limits]
    content {
      max_dispatches_per_second = rate_limits.value.max_dispatches_per_second
      max_concurrent_dispatches = rate_limits.value.max_concurrent_dispatches
    }
  }

  retry_config {
    max_attempts  = each.value.retry_config.max_attempts
    min_backoff   = each.value.retry_config.min_backoff
    max_backoff   = each.value.retry_config.max_backoff
    max_doublings = each.value.retry_config.max_doublings
  }

  dynamic "stackdriver_logging_config" {
    for_each = each.value.log_sampling_ratio == null ? [] : [each.value.log_sampling_ratio]
    content {
      sampling_ratio = stackdriver_logging_config.value
    }
  }

  depends_on = [google_project_service.enabled]
}

# The queues were three resources; moved, not recreated (a deleted queue's name cannot be
# used again for up to 7 days).
moved {
  from = google_cloud_tasks_queue.extraction
  to   = google_cloud_tasks_queue.queue["extraction"]
}

moved {
  from = google_cloud_tasks_queue.webhook
  to   = google_cloud_tasks_queue.queue["webhook"]
}

moved {
  from = google_cloud_tasks_queue.delayed_messages
  to   = google_cloud_tasks_queue.queue["delayed_messages"]
}

resource "google_cloud_scheduler_job" "cleanup" {
  name             = "${local.prefix}cleanup"
  region           = var.region
  description      = "Expired exports, stuck tasks, outbox sweep, Gmail watch renewal"
  schedule         = var.cleanup_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "540s"

  retry_config {
    retry_count          = 1
    min_backoff_duration = "30s"
  }

  http_target {
    http_method = "POST"
    uri         = local.function_url["cleanup"]

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.function_url["cleanup"]
    }
  }

  depends_on = [google_project_service.enabled]
}
