#!/usr/bin/env python3
"""Consumes schema-framed records with confluent-kafka's own deserializers.

The counterpart of schema_produce.py, and like it the reference the tests
hold rdconnect against: it shares no code with rdconnect. Reads --topic from
the beginning (a consumer of a group of its own, auto.offset.reset earliest,
nothing committed) until it has --expect records, deserializes every value
with the deserializer of --format, the writer's schema fetched from the
registry by the id in the value's framing, and writes one JSON line per
record, in partition and offset order, to --output (or stdout):
``{"partition": P, "offset": O, "key": TEXT or null, "schema_id": ID,
"value": VALUE}``; a record without a value has "schema_id" and "value" null.
It exits 0. Fewer records than --expect within --timeout-s, a key that is not
UTF-8, or a value not in Confluent's framing or that its deserializer rejects
(named TOPIC[PARTITION]@OFFSET) is reported on stderr, writes nothing and
exits 1.

Values in JSON, per format, as rdconnect's decoder writes them, so that the
two compare field by field:
  avro         the record as JSON, a union's value bare; a decimal as a string
               of exactly its scale's fractional digits ("1.20", "-0.05"); bytes
               and fixed as base64 (standard, padded); a date "YYYY-MM-DD";
               time-millis "HH:MM:SS.mmm", time-micros "HH:MM:SS.uuuuuu";
               timestamp-millis "YYYY-MM-DDTHH:MM:SS.mmmZ", timestamp-micros
               ".uuuuuuZ", the local-timestamps the same without the "Z"; a
               uuid as Python's UUID writes it (lower case); a float as the
               shortest number that reads back as that float32; NaN and the
               infinities as the strings "NaN", "Infinity" and "-Infinity"
  json_schema  the document itself, validated against the writer's schema
  protobuf     protobuf's JSON mapping of the writer's message (the message
               the framing's indexes name), under the .proto's field names and
               with fields of no presence printed too (rdconnect has no
               protobuf decoder to match)

Run it with the venv's python: RDCONNECT_PYTHON from scripts/services.sh env.
"""

import argparse
import base64
import datetime
import decimal
import io
import json
import math
import struct
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import (SchemaRegistryClient,
                                             prefix_schema_id_deserializer)
from confluent_kafka.serialization import MessageField, SerializationContext

POLL_S = 1.0
# Confluent's framing: magic byte 0, then the schema id as a big-endian int32.
FRAMING = struct.Struct(">bI")
FLOAT32 = struct.Struct(">f")
# The writer's schema by the framing's id alone, as rdconnect's decoder reads
# it: the id from the value's prefix, never a header, and no subject, so no
# reader schema, rules or migrations, and no query of the associations API
# (the default strategy's, which Apicurio's ccompat API need not serve).
DESERIALIZER_CONF = {"subject.name.strategy": lambda ctx, record_name: None,
                     "schema.id.deserializer": prefix_schema_id_deserializer}


class Failure(Exception):
    """An error worth one line on stderr and exit status 1."""


def positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text} is not above 0")
        return value
    return parse


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog='Output lines: {"partition": P, "offset": O, "key": TEXT or null, '
               '"schema_id": ID or null, "value": VALUE}.')
    parser.add_argument("--bootstrap", required=True, metavar="HOST:PORT[,...]")
    parser.add_argument("--registry", required=True, metavar="URL",
                        help="the Confluent-compatible API, e.g. SCHEMA_REGISTRY_URL")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--format", required=True,
                        choices=("avro", "protobuf", "json_schema"))
    parser.add_argument("--expect", required=True, type=positive(int), metavar="N",
                        help="stop at N records; fewer within --timeout-s fails")
    parser.add_argument("--timeout-s", type=positive(float), default=60.0, metavar="S",
                        help="how long to wait for the N records (default: 60)")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write the JSON lines to FILE instead of stdout")
    return parser.parse_args()


# --- JSON of any value -------------------------------------------------------

def float_json(value):
    """JSON has no NaN or infinities: the strings proto3's JSON mapping has."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def plain_json(value):
    if isinstance(value, float):
        return float_json(value)
    if isinstance(value, dict):
        return {name: plain_json(item) for name, item in value.items()}
    if isinstance(value, list):
        return [plain_json(item) for item in value]
    return value


# --- Avro --------------------------------------------------------------------

def fits_float32(value):
    try:
        return FLOAT32.unpack(FLOAT32.pack(value))[0] == value
    except OverflowError:
        return False


def float32_json(value):
    """fastavro widens a float to a double: the shortest decimal that reads
    back as the same float32, as rdconnect writes it (0.1, not 0.10000000149)."""
    if math.isnan(value) or math.isinf(value):
        return float_json(value)
    for digits in range(1, 10):
        candidate = float(f"{value:.{digits}g}")
        if FLOAT32.unpack(FLOAT32.pack(candidate))[0] == value:
            return candidate
    return value


def fraction(microseconds, logical):
    if logical.endswith("-millis"):
        return f".{microseconds // 1000:03d}"
    return f".{microseconds:06d}"


def time_text(value, logical):
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}" \
        + fraction(value.microsecond, logical)


def timestamp_text(value, logical):
    utc = value.tzinfo is not None
    if utc:
        value = value.astimezone(datetime.timezone.utc)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T" \
        + time_text(value, logical) + ("Z" if utc else "")


def decimal_text(value, scale, path):
    # fastavro divides the unscaled integer by 10^scale in a context of the
    # schema's precision: an exponent other than -scale means it rounded a
    # value of more digits than that, which rdconnect writes exactly.
    if value.as_tuple().exponent != -scale:
        raise Failure(f"{path}: fastavro read the decimal as {value}, not one of scale "
                      f"{scale} (more digits than its precision, rounded)")
    return format(value, "f")  # never an exponent: "0.00", not "0E-2"


class AvroJson:
    """Turns what AvroDeserializer returns (fastavro's types, a record in a
    union as (name, record)) into the JSON of the module docstring, walking
    the writer's schema alongside the value for what the value does not say:
    a decimal's scale, a time's unit, a float's width."""

    def __init__(self, schema, named):
        self.schema = schema  # parsed by fastavro, names in full
        self.named = named

    def to_json(self, value):
        return self._convert(self.schema, value, "value")

    def _resolve(self, schema):
        while True:
            if isinstance(schema, str) and schema in self.named:
                schema = self.named[schema]
            elif isinstance(schema, dict) and isinstance(schema.get("type"), (str, list)) \
                    and (isinstance(schema["type"], list) or schema["type"] in self.named):
                schema = schema["type"]
            else:
                return schema

    @staticmethod
    def _kind(schema):
        return schema if isinstance(schema, str) else schema.get("type")

    @staticmethod
    def _logical(schema):
        return schema.get("logicalType") if isinstance(schema, dict) else None

    def _convert(self, schema, value, path):
        schema = self._resolve(schema)
        if isinstance(schema, list):
            schema, value = self._branch(schema, value, path)
            return self._convert(schema, value, path)
        kind, logical = self._kind(schema), self._logical(schema)
        if isinstance(value, tuple):  # a named type fastavro tagged
            value = value[1]
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            return float32_json(value) if kind == "float" else float_json(value)
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, decimal.Decimal):
            return decimal_text(value, schema.get("scale", 0), path)
        if isinstance(value, datetime.datetime):
            return timestamp_text(value, logical or "timestamp-micros")
        if isinstance(value, datetime.date):
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        if isinstance(value, datetime.time):
            return time_text(value, logical or "time-micros")
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, dict) and kind in ("record", "error"):
            fields = {field["name"]: field["type"] for field in schema["fields"]}
            return {name: self._convert(fields[name], item, f"{path}.{name}")
                    if name in fields else plain_json(item) for name, item in value.items()}
        if isinstance(value, dict) and kind == "map":
            return {name: self._convert(schema["values"], item, f"{path}[{name!r}]")
                    for name, item in value.items()}
        if isinstance(value, list) and kind == "array":
            return [self._convert(schema["items"], item, f"{path}[{index}]")
                    for index, item in enumerate(value)]
        raise Failure(f"{path}: fastavro returned a {type(value).__name__} for a {kind}")

    def _branch(self, branches, value, path):
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            name = value[0]
            for branch in branches:
                resolved = self._resolve(branch)
                if isinstance(resolved, dict) and resolved.get("name") in (
                        name, name.rpartition(".")[2]):
                    return resolved, value[1]
        for branch in branches:
            if self._matches(self._resolve(branch), value):
                return branch, value
        raise Failure(f"{path}: no branch of the union {branches} holds the "
                      f"{type(value).__name__} fastavro returned")

    def _matches(self, schema, value):
        if isinstance(schema, list):
            return False
        kind, logical = self._kind(schema), self._logical(schema) or ""
        if value is None:
            return kind == "null"
        if isinstance(value, bool):
            return kind == "boolean"
        if isinstance(value, int):
            return kind in ("int", "long")
        if isinstance(value, float):
            return kind == "double" or (kind == "float" and fits_float32(value))
        if isinstance(value, str):
            return kind in ("string", "enum")
        if isinstance(value, bytes):
            return kind in ("bytes", "fixed")
        if isinstance(value, decimal.Decimal):
            return logical == "decimal"
        if isinstance(value, (datetime.datetime, datetime.time)):
            if isinstance(value, datetime.time):
                wanted = ("time-millis", "time-micros")
            elif value.tzinfo is not None:
                wanted = ("timestamp-millis", "timestamp-micros")
            else:
                wanted = ("local-timestamp-millis", "local-timestamp-micros")
            return logical in wanted and not (logical.endswith("-millis")
                                              and value.microsecond % 1000)
        if isinstance(value, datetime.date):
            return logical == "date"
        if isinstance(value, uuid.UUID):
            return logical == "uuid"
        if isinstance(value, dict):
            return kind in ("record", "error", "map")
        if isinstance(value, list):
            return kind == "array"
        return False


class AvroSchemas:
    """The writer's schema of each id, parsed by fastavro with the schemas it
    references (fetched from the registry), to walk alongside the values."""

    def __init__(self, registry):
        self.registry = registry
        self.converters = {}

    def converter(self, schema_id):
        if schema_id not in self.converters:
            named = {}
            schema = self._parse(self.registry.get_schema(schema_id), named, set())
            self.converters[schema_id] = AvroJson(schema, named)
        return self.converters[schema_id]

    def _parse(self, schema, named, seen):
        import fastavro
        for reference in schema.references or ():
            if reference.name not in seen:
                seen.add(reference.name)
                referenced = self.registry.get_version(reference.subject, reference.version)
                self._parse(referenced.schema, named, seen)
        return fastavro.parse_schema(json.loads(schema.schema_str), named_schemas=named,
                                     _write_hint=False)


def avro_decoder(registry):
    from confluent_kafka.schema_registry.avro import AvroDeserializer
    # No reader schema: the writer's. A record in a union comes as
    # (name, record), which tells the branch apart.
    deserializer = AvroDeserializer(registry, return_record_name=True, conf=DESERIALIZER_CONF)
    schemas = AvroSchemas(registry)

    def decode(payload, schema_id, ctx):
        value = deserializer(payload, ctx)
        return schemas.converter(schema_id).to_json(value)
    return decode


# --- JSON Schema -------------------------------------------------------------

def json_schema_decoder(registry):
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer
    # schema_str None: the writer's schema from the registry, by id, which the
    # document is validated against.
    deserializer = JSONDeserializer(None, schema_registry_client=registry, conf=DESERIALIZER_CONF)
    return lambda payload, schema_id, ctx: plain_json(deserializer(payload, ctx))


# --- Protobuf ---------------------------------------------------------------

def protobuf_decoder(registry):
    from google.protobuf import empty_pb2, json_format
    from google.protobuf.message_factory import GetMessageClass

    from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
    from confluent_kafka.schema_registry.serde import SchemaId

    # ProtobufDeserializer parses every payload as the class it was built
    # with. The writer's message is found with its own helpers (the schema
    # by id, as descriptors, with its references; the message the framing's
    # indexes name), and one deserializer is built per writer's message.
    finder = ProtobufDeserializer(empty_pb2.Empty, DESERIALIZER_CONF, registry)
    deserializers = {}

    def deserializer_for(payload):
        framing = SchemaId("PROTOBUF")
        framing.from_bytes(io.BytesIO(payload))
        indexes = framing.message_indexes if framing.message_indexes is not None else [0]
        key = (framing.id, tuple(indexes))
        if key not in deserializers:
            fd_proto, pool = finder._get_parsed_schema(
                registry.get_schema(framing.id, fmt="serialized"))
            descriptor = finder._get_message_desc(pool, pool.FindFileByName(fd_proto.name),
                                                  indexes)
            deserializers[key] = ProtobufDeserializer(GetMessageClass(descriptor),
                                                      DESERIALIZER_CONF, registry)
        return deserializers[key]

    def decode(payload, schema_id, ctx):
        message = deserializer_for(payload)(payload, ctx)
        return plain_json(json_format.MessageToDict(
            message, preserving_proto_field_name=True,
            always_print_fields_with_no_presence=True))
    return decode


# --- consuming ---------------------------------------------------------------

DECODERS = {"avro": avro_decoder, "json_schema": json_schema_decoder,
            "protobuf": protobuf_decoder}


def record_json(message, decode):
    """The output line's object of one consumed message."""
    where = f"{message.topic()}[{message.partition()}]@{message.offset()}"
    key = message.key()
    if key is not None:
        try:
            key = key.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Failure(f"{where}: the key is not UTF-8: {error}") from error
    payload = message.value()
    schema_id = value = None
    if payload is not None:
        if len(payload) < FRAMING.size or payload[0] != 0:
            raise Failure(f"{where}: the value is not in Confluent's framing (magic byte 0, "
                          f"a schema id): it starts {payload[:FRAMING.size].hex() or 'empty'}")
        schema_id = FRAMING.unpack_from(payload)[1]
        ctx = SerializationContext(message.topic(), MessageField.VALUE)
        try:
            value = decode(payload, schema_id, ctx)
        except Failure as error:
            raise Failure(f"{where}: {error}") from error
        except Exception as error:  # the deserializers raise many kinds
            raise Failure(f"{where}: deserialization failed (schema id {schema_id}): "
                          f"{error!r}") from error
    return {"partition": message.partition(), "offset": message.offset(), "key": key,
            "schema_id": schema_id, "value": value}


def consume(args):
    registry = SchemaRegistryClient({"url": args.registry})
    decode = DECODERS[args.format](registry)
    consumer = Consumer({"bootstrap.servers": args.bootstrap,
                         "group.id": f"schema-consume-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest",
                         "enable.auto.commit": False})
    records = []
    last_error = None
    try:
        consumer.subscribe([args.topic])
        deadline = time.monotonic() + args.timeout_s
        while len(records) < args.expect:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Failure(f"{len(records)} of the {args.expect} record(s) expected from "
                              f"{args.topic} within {args.timeout_s:g}s"
                              + (f" (the last error: {last_error})" if last_error else ""))
            message = consumer.poll(min(POLL_S, remaining))
            if message is None:
                continue
            error = message.error()
            if error is not None:
                if error.fatal():
                    raise Failure(f"consuming {args.topic} failed: {error}")
                last_error = error  # e.g. the topic not there yet: wait on
                continue
            records.append(record_json(message, decode))
    finally:
        consumer.close()
    records.sort(key=lambda record: (record["partition"], record["offset"]))
    return records


def write_lines(records, stream):
    for record in records:
        stream.write(json.dumps(record, allow_nan=False) + "\n")


def main():
    args = parse_args()
    try:
        records = consume(args)
    except Failure as error:
        print(f"schema_consume.py: error: {error}", file=sys.stderr)
        return 1
    if args.output:
        with args.output.open("w", encoding="utf-8") as stream:
            write_lines(records, stream)
    else:
        write_lines(records, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
