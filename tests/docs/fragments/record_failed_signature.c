/* Harness of the fragment record_failed_signature (docs/writing-plugins.md,
 * section 8): the declaration the document shows must be rdc_host's own. */
#include <rdconnect/plugin.h>

struct shown {
#include "record_failed_signature.inc"
};

_Static_assert(
    __builtin_types_compatible_p(__typeof__(((struct shown*)0)->record_failed),
                                 __typeof__(((rdc_host*)0)->record_failed)),
    "the document's record_failed is not the one of rdc_host");
