#!/usr/bin/env bash
# Sets the dead-letter policy on the Pub/Sub subscription an Eventarc trigger created
# (the provider cannot reach it), and grants the Pub/Sub service agent the subscriber
# role on it that dead-lettering needs. Called by terraform/messaging.tf; needs gcloud.
set -euo pipefail
: "${PROJECT:?}" "${TRIGGER:?}" "${DEAD_LETTER:?}" "${MAX_ATTEMPTS:?}" "${PUBSUB_AGENT:?}" "${ACK_DEADLINE_SEC:?}"

subscription="$(gcloud eventarc triggers describe "$TRIGGER" --project "$PROJECT" --format 'value(transport.pubsub.subscription)')"
if [[ -z "$subscription" ]]; then
  echo "trigger $TRIGGER reports no Pub/Sub subscription" >&2
  exit 1
fi
gcloud pubsub subscriptions update "$subscription" --project "$PROJECT" \
  --dead-letter-topic "$DEAD_LETTER" --max-delivery-attempts "$MAX_ATTEMPTS" \
  --ack-deadline "$ACK_DEADLINE_SEC" --min-retry-delay 10s --max-retry-delay 600s
gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --project "$PROJECT" \
  --member "$PUBSUB_AGENT" --role roles/pubsub.subscriber >/dev/null
echo "dead-letter policy set on $subscription -> $DEAD_LETTER after $MAX_ATTEMPTS attempts"
