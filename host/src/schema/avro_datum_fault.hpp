// Why bytes are not a datum of the schema they are read with.
#pragma once

#include <stdexcept>

namespace rdconnect::schema {

/// Thrown by the pieces of the Avro decoder, which do not know where in the
/// datum they are: decode_avro() turns it into an AvroDecodeError that
/// names the field.
class DatumFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rdconnect::schema
