#!/usr/bin/env python3
"""Produces schema-framed records with confluent-kafka's own serializers.

The reference implementation the tests hold rdconnect's formats against: it
shares no code with rdconnect. Reads JSON lines from stdin (or --input), each
``{"key": STRING or null, "value": OBJECT}``, serializes every value with the
serializer of --format, registering the schema of --schema under the subject
TOPIC + --subject-suffix (TopicNameStrategy by default), and produces it to
--topic with the key as UTF-8 text. Every delivery is checked. At the end it
prints one JSON line ``{"produced": N, "schema_id": ID}`` (the id the registry
gave, read from the records' framing; null when stdin was empty) and exits 0;
any serialization or delivery error is reported on stderr and exits 1.

Values in JSON, per format:
  avro         the record as JSON, with a union's value bare (``"note": "x"``)
               or in Avro's JSON encoding (``"note": {"string": "x"}``); a
               decimal as a string or number (``"amount": "12.34"``); other
               bytes and fixed as in Avro's JSON encoding (one character,
               U+0000 to U+00FF, per byte); timestamps, dates and times as
               their numbers
  json_schema  the document itself
  protobuf     protobuf's JSON mapping of the message (--message, else the
               first message of the .proto); the .proto is compiled by the
               protoc of grpcio-tools, and may import the well-known types

Run it with the venv's python: RDCONNECT_PYTHON from scripts/services.sh env.
"""

import argparse
import decimal
import json
import struct
import sys
import tempfile
from pathlib import Path

from confluent_kafka import KafkaException, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.serialization import (MessageField, SerializationContext,
                                           StringSerializer)

# A record not delivered in MESSAGE_TIMEOUT_MS fails with the reason, which
# the flush then waits for.
MESSAGE_TIMEOUT_MS = 20000
FLUSH_TIMEOUT_S = 30
# Confluent's framing: magic byte 0, then the schema id as a big-endian int32.
FRAMING = struct.Struct(">bI")


class Failure(Exception):
    """An error worth one line on stderr and exit status 1."""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Input lines: {\"key\": STRING or null, \"value\": OBJECT}.")
    parser.add_argument("--bootstrap", required=True, metavar="HOST:PORT[,...]")
    parser.add_argument("--registry", required=True, metavar="URL",
                        help="the Confluent-compatible API, e.g. SCHEMA_REGISTRY_URL")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--format", required=True,
                        choices=("avro", "protobuf", "json_schema"))
    parser.add_argument("--schema", required=True, type=Path, metavar="FILE",
                        help="an .avsc, a .proto or a JSON Schema")
    parser.add_argument("--message", metavar="NAME",
                        help="protobuf: the message to produce (default: the first in the file)")
    parser.add_argument("--key-format", choices=("string", "none"), default="string",
                        help="none: every record without a key (a line's key must then be null)")
    parser.add_argument("--input", type=Path, metavar="FILE",
                        help="read the JSON lines from FILE instead of stdin")
    parser.add_argument("--subject-suffix", default="-value", metavar="SUFFIX",
                        help="the subject is TOPIC + this (default: -value, TopicNameStrategy)")
    return parser.parse_args()


# --- Avro ------------------------------------------------------------------

AVRO_PRIMITIVE_JSON = {
    "null": type(None), "boolean": bool, "int": int, "long": int,
    "float": (int, float), "double": (int, float), "string": str, "bytes": str,
}


class AvroJson:
    """Turns a value in the JSON of the module docstring into what fastavro
    writes: Decimal for decimals, bytes for bytes and fixed."""

    def __init__(self, schema):
        self.named = {}
        self.schema = schema
        self._collect(schema, None)

    def _collect(self, schema, namespace):
        if isinstance(schema, list):
            for branch in schema:
                self._collect(branch, namespace)
        elif isinstance(schema, dict):
            kind = schema.get("type")
            if kind in ("record", "error", "enum", "fixed"):
                name = schema["name"]
                namespace = schema.get("namespace", namespace)
                if "." not in name and namespace:
                    name = f"{namespace}.{name}"
                self.named[name] = schema
                self.named[name.rsplit(".", 1)[-1]] = schema
                namespace = name.rpartition(".")[0] or None
            for field in schema.get("fields", ()):
                self._collect(field["type"], namespace)
            for key in ("items", "values"):
                if key in schema:
                    self._collect(schema[key], namespace)
            if isinstance(kind, (dict, list)):
                self._collect(kind, namespace)

    def _resolve(self, schema):
        while isinstance(schema, str) and schema in self.named:
            schema = self.named[schema]
        if isinstance(schema, dict) and isinstance(schema.get("type"), str) \
                and schema["type"] in self.named:
            return self._resolve(schema["type"])
        return schema

    @staticmethod
    def _branch_name(schema):
        if isinstance(schema, str):
            return schema
        return schema.get("name") or schema.get("type")

    def _matches(self, schema, value):
        schema = self._resolve(schema)
        kind = schema if isinstance(schema, str) else schema.get("type")
        if isinstance(schema, dict) and schema.get("logicalType") == "decimal":
            return isinstance(value, (str, int, float)) and not isinstance(value, bool)
        if kind in AVRO_PRIMITIVE_JSON:
            wanted = AVRO_PRIMITIVE_JSON[kind]
            return isinstance(value, wanted) and not (isinstance(value, bool) and kind != "boolean")
        if isinstance(kind, (dict, list)):
            return self._matches(kind, value)
        return isinstance(value, {"record": dict, "error": dict, "map": dict,
                                  "array": list, "enum": str, "fixed": str}.get(kind, object))

    def convert(self, schema, value):
        schema = self._resolve(schema)
        if isinstance(schema, list):
            return self._convert_union(schema, value)
        if isinstance(schema, str):
            return value.encode("latin-1") if schema == "bytes" and isinstance(value, str) else value
        kind = schema.get("type")
        if isinstance(kind, (dict, list)):
            return self.convert(kind, value)
        if schema.get("logicalType") == "decimal" and isinstance(value, (str, int, float)):
            return decimal.Decimal(str(value))
        if kind in ("bytes", "fixed") and isinstance(value, str):
            return value.encode("latin-1")
        if kind in ("record", "error") and isinstance(value, dict):
            fields = {field["name"]: field["type"] for field in schema["fields"]}
            return {name: self.convert(fields[name], item) if name in fields else item
                    for name, item in value.items()}
        if kind == "array" and isinstance(value, list):
            return [self.convert(schema["items"], item) for item in value]
        if kind == "map" and isinstance(value, dict):
            return {name: self.convert(schema["values"], item) for name, item in value.items()}
        return value

    def _convert_union(self, branches, value):
        if value is None:
            return None
        # Avro's JSON encoding: {"BRANCH": value}.
        if isinstance(value, dict) and len(value) == 1:
            (name, inner), = value.items()
            for branch in branches:
                if self._branch_name(self._resolve(branch)) in (name, name.rsplit(".", 1)[-1]):
                    return self.convert(branch, inner)
        for branch in branches:
            if branch != "null" and self._matches(branch, value):
                return self.convert(branch, value)
        return value


def avro_serializer(registry, schema_text, conf):
    from confluent_kafka.schema_registry.avro import AvroSerializer
    try:
        converter = AvroJson(json.loads(schema_text))
    except (ValueError, KeyError, TypeError) as error:
        raise Failure(f"the Avro schema is not valid JSON Avro: {error}") from error
    return AvroSerializer(registry, schema_text,
                          to_dict=lambda value, ctx: converter.convert(converter.schema, value),
                          conf=conf)


# --- JSON Schema -------------------------------------------------------------

def json_schema_serializer(registry, schema_text, conf):
    from confluent_kafka.schema_registry.json_schema import JSONSerializer
    return JSONSerializer(schema_text, registry, conf=conf)


# --- Protobuf ---------------------------------------------------------------

def protobuf_message_class(proto_path, message_name):
    """Compiles proto_path with grpcio-tools' protoc into descriptors and
    builds the message class from them, in a pool of its own."""
    import importlib.resources

    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from grpc_tools import protoc

    well_known = importlib.resources.files("grpc_tools") / "_proto"
    with tempfile.TemporaryDirectory() as scratch:
        descriptor_set = Path(scratch) / "descriptors.pb"
        status = protoc.main(["protoc", f"-I{proto_path.parent.resolve()}", f"-I{well_known}",
                              "--include_imports", f"--descriptor_set_out={descriptor_set}",
                              proto_path.name])
        if status != 0:
            raise Failure(f"protoc could not compile {proto_path} (its errors above)")
        files = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes()).file
    pool = descriptor_pool.DescriptorPool()
    for file_proto in files:
        pool.Add(file_proto)
    # --include_imports puts the file itself last.
    main_file = pool.FindFileByName(files[-1].name)
    if message_name is None:
        if not main_file.message_types_by_name:
            raise Failure(f"{proto_path} defines no message")
        descriptor = next(iter(main_file.message_types_by_name.values()))
    else:
        package = f"{main_file.package}." if main_file.package else ""
        try:
            descriptor = pool.FindMessageTypeByName(
                message_name if message_name.startswith(package) else package + message_name)
        except KeyError as error:
            raise Failure(f"{proto_path} has no message {message_name}") from error
    return message_factory.GetMessageClass(descriptor)


def protobuf_serializer(registry, proto_path, message_name, conf):
    from google.protobuf import json_format

    from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
    message_class = protobuf_message_class(proto_path, message_name)
    serializer = ProtobufSerializer(message_class, registry, conf=conf)

    def serialize(value, ctx):
        try:
            message = json_format.ParseDict(value, message_class())
        except json_format.ParseError as error:
            raise Failure(f"the value is not a {message_class.DESCRIPTOR.full_name}: {error}") from error
        return serializer(message, ctx)
    return serialize


# --- producing ---------------------------------------------------------------

def read_records(stream):
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise Failure(f"stdin line {number} is not JSON: {error}") from error
        if not isinstance(record, dict) or "value" not in record \
                or not isinstance(record.get("key"), (str, type(None))):
            raise Failure(f'stdin line {number} is not {{"key": STRING or null, "value": ...}}')
        yield number, record.get("key"), record["value"]


def make_serializer(args, registry):
    suffix = args.subject_suffix
    conf = {"auto.register.schemas": True,
            "subject.name.strategy": lambda ctx, record_name: ctx.topic + suffix}
    if args.format == "protobuf":
        return protobuf_serializer(registry, args.schema, args.message, conf)
    schema_text = args.schema.read_text()
    if args.format == "avro":
        return avro_serializer(registry, schema_text, conf)
    return json_schema_serializer(registry, schema_text, conf)


def produce(args):
    registry = SchemaRegistryClient({"url": args.registry})
    serialize_value = make_serializer(args, registry)
    serialize_key = StringSerializer("utf_8")
    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all",
                         "message.timeout.ms": MESSAGE_TIMEOUT_MS})
    failures = []
    delivered = 0

    def on_delivery(error, message):
        nonlocal delivered
        if error is not None:
            failures.append(f"delivery to {message.topic()} failed: {error}")
        else:
            delivered += 1

    produced = 0
    schema_ids = set()
    lines = args.input.open(encoding="utf-8") if args.input else sys.stdin
    for number, key, value in read_records(lines):
        if args.key_format == "none" and key is not None:
            raise Failure(f"stdin line {number} has a key, and --key-format is none")
        try:
            payload = serialize_value(value, SerializationContext(args.topic, MessageField.VALUE))
        except Failure:
            raise
        except Exception as error:  # the serializers raise many kinds
            raise Failure(f"stdin line {number}: serialization failed: {error!r}") from error
        schema_ids.add(FRAMING.unpack_from(payload)[1])
        key_bytes = serialize_key(key, SerializationContext(args.topic, MessageField.KEY))
        while True:
            try:
                producer.produce(args.topic, value=payload, key=key_bytes, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.5)  # the local queue is full: wait for deliveries
            except KafkaException as error:
                raise Failure(f"stdin line {number}: produce failed: {error}") from error
        produced += 1
        producer.poll(0)
    remaining = producer.flush(FLUSH_TIMEOUT_S)
    if remaining:
        failures.append(f"{remaining} record(s) not delivered within {FLUSH_TIMEOUT_S}s")
    if failures:
        raise Failure("; ".join(failures[:5]))
    if delivered != produced:
        raise Failure(f"{produced} record(s) produced but {delivered} delivered")
    if len(schema_ids) > 1:
        raise Failure(f"the records carry several schema ids: {sorted(schema_ids)}")
    return {"produced": produced, "schema_id": next(iter(schema_ids), None)}


def main():
    args = parse_args()
    try:
        result = produce(args)
    except Failure as error:
        print(f"schema_produce.py: error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
