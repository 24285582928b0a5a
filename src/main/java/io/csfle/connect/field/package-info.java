/**
 * Field paths and the record walker: finds the fields a path names in Connect Structs and
 * schemaless Maps, applies a caller-supplied function to each, and rebuilds the record and its
 * schema without mutating the input. Knows nothing of crypto, keys or registries; may import only
 * the Connect data API.
 */
package io.csfle.connect.field;
