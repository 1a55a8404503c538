# Seed 002 §7 as code: log-based metrics from the functions' structured logs (one line
# per delivery from shared/messaging/edge.ts with stage, outcome and durationMs; one per
# Gemini answer with its tokens; one per revoked grant), alert policies and a dashboard.

locals {
  function_logs = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=~\"^${local.prefix}\""
  delivery_logs = "${local.function_logs} AND jsonPayload.component=\"messaging\" AND jsonPayload.outcome:*"
  metric_prefix = "logging.googleapis.com/user"
}

resource "google_logging_metric" "stage_duration" {
  name            = "${local.prefix}stage-duration"
  description     = "Time a stage took per delivery (ms), by stage and outcome"
  filter          = local.delivery_logs
  value_extractor = "EXTRACT(jsonPayload.durationMs)"

  label_extractors = {
    stage   = "EXTRACT(jsonPayload.stage)"
    outcome = "EXTRACT(jsonPayload.outcome)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"

    labels {
      key        = "stage"
      value_type = "STRING"
    }
    labels {
      key        = "outcome"
      value_type = "STRING"
    }
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 24
      growth_factor      = 2
      scale              = 10
    }
  }
}

resource "google_logging_metric" "deliveries" {
  name        = "${local.prefix}deliveries"
  description = "Deliveries by stage and outcome: done, retry, retry_after, given_up (the failure classes of the retry matrix)"
  filter      = local.delivery_logs

  label_extractors = {
    stage   = "EXTRACT(jsonPayload.stage)"
    outcome = "EXTRACT(jsonPayload.outcome)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"

    labels {
      key        = "stage"
      value_type = "STRING"
    }
    labels {
      key        = "outcome"
      value_type = "STRING"
    }
  }
}

resource "google_logging_metric" "given_up" {
  name        = "${local.prefix}dead-lettered"
  description = "Messages and tasks given up: acknowledged without success, by stage and error code"
  filter      = "${local.delivery_logs} AND jsonPayload.outcome=\"given_up\""

  label_extractors = {
    stage = "EXTRACT(jsonPayload.stage)"
    code  = "EXTRACT(jsonPayload.code)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"

    labels {
      key        = "stage"
      value_type = "STRING"
    }
    labels {
      key        = "code"
      value_type = "STRING"
    }
  }
}

resource "google_logging_metric" "vertex_tokens" {
  name            = "${local.prefix}vertex-tokens"
  description     = "Tokens Vertex AI billed per Gemini answer, by model"
  filter          = "${local.function_logs} AND jsonPayload.component=\"vertex\""
  value_extractor = "EXTRACT(jsonPayload.totalTokens)"

  label_extractors = {
    model = "EXTRACT(jsonPayload.model)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"

    labels {
      key        = "model"
      value_type = "STRING"
    }
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 20
      growth_factor      = 2
      scale              = 100
    }
  }
}

resource "google_logging_metric" "invalid_grants" {
  name        = "${local.prefix}invalid-grants"
  description = "Google accounts whose grant was revoked (invalid_grant)"
  filter      = "${local.function_logs} AND jsonPayload.reason=\"invalid_grant\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

resource "google_monitoring_alert_policy" "dead_letter" {
  display_name          = "ByteReview: a message was dead-lettered"
  combiner              = "OR"
  notification_channels = var.alerts.notification_channels

  documentation {
    content   = "A Pub/Sub message ran out of deliveries or a stage gave one up. Read it from the <function>-dead-letter-kept subscription; the stage's logs say why."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "Pub/Sub dead-lettered a message"
    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND metric.type=\"pubsub.googleapis.com/subscription/dead_letter_message_count\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }

  conditions {
    display_name = "A stage gave a message or task up"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"${local.metric_prefix}/${google_logging_metric.given_up.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "task_failure_rate" {
  display_name          = "ByteReview: delivery failure rate"
  combiner              = "OR"
  notification_channels = var.alerts.notification_channels

  conditions {
    display_name = "Failed deliveries above ${var.alerts.task_failure_ratio * 100}% for 10 minutes"
    condition_threshold {
      filter             = "resource.type=\"cloud_run_revision\" AND metric.type=\"${local.metric_prefix}/${google_logging_metric.deliveries.name}\" AND metric.label.outcome!=\"done\""
      denominator_filter = "resource.type=\"cloud_run_revision\" AND metric.type=\"${local.metric_prefix}/${google_logging_metric.deliveries.name}\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.alerts.task_failure_ratio
      duration           = "600s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.stage"]
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.stage"]
      }
    }
  }
}

# Cloud Tasks publishes no oldest-task age; how late tasks are dispatched after their
# scheduled time is the same signal: a backlog shows as growing attempt delays.
resource "google_monitoring_alert_policy" "extraction_queue_age" {
  display_name          = "ByteReview: extraction queue backlog"
  combiner              = "OR"
  notification_channels = var.alerts.notification_channels

  conditions {
    display_name = "Extraction tasks wait over ${var.alerts.queue_delay_seconds}s for dispatch"
    condition_threshold {
      filter          = "resource.type=\"cloud_tasks_queue\" AND resource.labels.queue_id=\"${google_cloud_tasks_queue.queue["extraction"].name}\" AND metric.type=\"cloudtasks.googleapis.com/queue/task_attempt_delays\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alerts.queue_delay_seconds * 1000
      duration        = "300s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_PERCENTILE_99"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "database_connections" {
  display_name          = "ByteReview: database connections near the budget"
  combiner              = "OR"
  notification_channels = var.alerts.notification_channels

  conditions {
    display_name = "Connections above ${var.alerts.connections_budget_pct * 100}% of the budget (${local.connection_limit})"
    condition_threshold {
      filter          = "resource.type=\"cloudsql_database\" AND resource.labels.database_id=\"${var.project_id}:${google_sql_database_instance.main.name}\" AND metric.type=\"cloudsql.googleapis.com/database/postgresql/num_backends\""
      comparison      = "COMPARISON_GT"
      threshold_value = floor(local.connection_limit * var.alerts.connections_budget_pct)
      duration        = "300s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "invalid_grants" {
  display_name          = "ByteReview: spike of revoked Google grants"
  combiner              = "OR"
  notification_channels = var.alerts.notification_channels

  conditions {
    display_name = "More than ${var.alerts.invalid_grants_per_hour} invalid_grant in an hour"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"${local.metric_prefix}/${google_logging_metric.invalid_grants.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alerts.invalid_grants_per_hour
      duration        = "0s"

      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
}

resource "google_monitoring_dashboard" "pipeline" {
  dashboard_json = jsonencode({
    displayName = "ByteReview pipeline"
    mosaicLayout = {
      columns = 12
      tiles = [
        for i, w in [
          { title = "Stage duration p95 (ms)", filter = "metric.type=\"${local.metric_prefix}/${google_logging_metric.stage_duration.name}\"", aligner = "ALIGN_PERCENTILE_95", reducer = "REDUCE_MAX", group = ["metric.label.stage"], plot = "LINE" },
          { title = "Deliveries by outcome", filter = "metric.type=\"${local.metric_prefix}/${google_logging_metric.deliveries.name}\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = ["metric.label.stage", "metric.label.outcome"], plot = "STACKED_BAR" },
          { title = "Vertex AI tokens per answer (p50)", filter = "metric.type=\"${local.metric_prefix}/${google_logging_metric.vertex_tokens.name}\"", aligner = "ALIGN_PERCENTILE_50", reducer = "REDUCE_MEAN", group = ["metric.label.model"], plot = "STACKED_AREA" },
          { title = "Given up / dead-lettered", filter = "metric.type=\"${local.metric_prefix}/${google_logging_metric.given_up.name}\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = ["metric.label.stage", "metric.label.code"], plot = "STACKED_BAR" },
          { title = "Extraction queue depth", filter = "metric.type=\"cloudtasks.googleapis.com/queue/depth\" AND resource.labels.queue_id=\"${google_cloud_tasks_queue.queue["extraction"].name}\"", aligner = "ALIGN_MAX", reducer = "REDUCE_MAX", group = [], plot = "LINE" },
          { title = "Database connections (budget ${local.connection_limit})", filter = "metric.type=\"cloudsql.googleapis.com/database/postgresql/num_backends\" AND resource.labels.database_id=\"${var.project_id}:${google_sql_database_instance.main.name}\"", aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", group = [], plot = "LINE" },
          ] : {
          xPos   = (i % 2) * 6
          yPos   = floor(i / 2) * 4
          width  = 6
          height = 4
          widget = {
            title = w.title
            xyChart = {
              dataSets = [{
                plotType = w.plot
                timeSeriesQuery = {
                  timeSeriesFilter = {
                    filter      = w.filter
                    aggregation = { alignmentPeriod = "300s", perSeriesAligner = w.aligner, crossSeriesReducer = w.reducer, groupByFields = w.group }
                  }
                }
              }]
            }
          }
        }
      ]
    }
  })
}
