# The secrets exist here; their values are added once by the operator (README, Deploy to
# Google Cloud), never through Terraform, so no secret is in the state or in a file.
locals {
  secrets = {
    "token-keys"          = "Keyring that encrypts OAuth tokens at rest (TOKEN_KEYS_SECRET_VERSION)"
    "oauth-client-secret" = "Secret of the OAuth client (GOOGLE_OAUTH_CLIENT_SECRET)"
    "oauth-state-secret"  = "HMAC secret of the OAuth state, 32+ characters (OAUTH_STATE_SECRET)"
  }
}

resource "google_secret_manager_secret" "secret" {
  for_each = local.secrets

  secret_id = "${local.prefix}${each.key}"
  labels    = { app = "bytereview" }
  annotations = {
    purpose = each.value
  }

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

# Each function reads each secret it needs, granted on that secret to that function only.
resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = { for pair in setproduct(keys(local.functions), keys(local.secrets)) : "${pair[0]}/${pair[1]}" => { function = pair[0], secret = pair[1] } }

  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}
