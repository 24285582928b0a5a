/**
 * The DEK store behind a registry server with Confluent's DEK Registry REST API (Confluent Schema
 * Registry, AxonOps Schema Registry): the client, its transport with time bounds and failover, and
 * the JSON of the API. No Kafka classes.
 */
package io.csfle.connect.store.rest;
