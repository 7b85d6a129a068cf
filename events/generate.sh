#!/usr/bin/env bash
# Re-signs the sample events from events/bodies/ with the throw-away secrets in events/local-secrets.json,
# using the relay's own `sign` command (each provider's scheme). `invoke` verifies a sample as of the time the
# event records, so they never need regenerating to stay valid; run this after changing a body or a scheme.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/attribute-relay.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package
sign() { # integration body output [extra sign options...]
  local integration=$1 body=$2 out=$3; shift 3
  java -jar "$jar" sign "$integration" "events/bodies/$body" --secrets events/local-secrets.json --event "$@" > "events/$out"
  echo "events/$out"
}
sign stripe     stripe-customer.updated.json           stripe-customer-updated.http-api.json \
  --header "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)"
sign paddle     paddle-subscription.updated.json       paddle-subscription-updated.http-api.json
sign chargebee  chargebee-subscription_changed.json    chargebee-subscription-changed.http-api.json
sign hubspot    hubspot-contact.json                   hubspot-contact.http-api.json
sign intercom   intercom-user.created.json             intercom-user-created.http-api.json
sign shopify    shopify-customers-update.json          shopify-customers-update.http-api.json \
  --header "X-Shopify-Topic: customers/update" --header "X-Shopify-Webhook-Id: b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" \
  --header "X-Shopify-Shop-Domain: example.myshopify.com" --header "X-Shopify-API-Version: 2023-01"
sign customerio customerio-customer-subscribed.json    customerio-customer-subscribed.http-api.json
sign mailchimp  mailchimp-subscribe.form               mailchimp-subscribe.http-api.json
