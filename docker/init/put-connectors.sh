#!/bin/sh
# Waits for the Connect worker and the DEK registry, then creates or updates each connector
# listed in $CONNECTORS (space-separated NAME=FILE pairs, FILE a JSON connector config) with
# PUT /connectors/{name}/config.
set -eu

wait_for() {
  until curl -fsS -o /dev/null "$1"; do
    echo "waiting for $1"
    sleep 2
  done
}

wait_for "$REGISTRY_URL/subjects"
wait_for "$CONNECT_URL/connector-plugins"

plugins=$(curl -fsS "$CONNECT_URL/connector-plugins?connectorsOnly=false")
case "$plugins" in
  *io.csfle.connect.transforms.EncryptField*) ;;
  *)
    echo "the worker has no io.csfle.connect.transforms.EncryptField: run 'mvn package' first" >&2
    exit 1
    ;;
esac

for entry in $CONNECTORS; do
  name=${entry%%=*}
  config=${entry#*=}
  echo "PUT $CONNECT_URL/connectors/$name/config from $config"
  curl -sS --fail-with-body -X PUT -H 'Content-Type: application/json' \
    --data @"$config" "$CONNECT_URL/connectors/$name/config"
  echo
done
