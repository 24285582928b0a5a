#!/bin/sh
# Enables Vault's transit engine and creates the KEK the demo's connectors wrap DEKs with.
# Runs once against the dev-mode server; safe to run again.
set -eu

until vault status >/dev/null 2>&1; do
  echo "waiting for Vault at $VAULT_ADDR"
  sleep 1
done

vault secrets list | grep -q '^transit/' || vault secrets enable transit
vault write -f transit/keys/customers-pii
echo "transit key customers-pii is ready"
