// The two halves of Lead::FromJson, exposed so tests can hold them against
// each other (tests/lead/lead_parse_test.cc).
//
// ParseLeadFast reads the common case (a well-formed lead within every
// limit) straight from the text, without building a JSON tree. It accepts a
// strict subset of what ParseLeadReference accepts and gives up, returning
// false, on anything else: malformed JSON, duplicate keys, limits, any value
// that would be an error. Lead::FromJson then runs ParseLeadReference, so
// every error message and JSON Pointer comes from one place.
#ifndef LEADROUTE_LEAD_PARSE_H_
#define LEADROUTE_LEAD_PARSE_H_

#include <string_view>

#include "leadroute/lead.h"
#include "leadroute/status.h"

namespace leadroute::internal {

// Parses `json` into `lead` (overwritten) and returns true, or returns false
// with `lead` in an unspecified state when the text is not a plain lead.
// When it returns true, `lead` equals ParseLeadReference(json).value().
// Throws only std::bad_alloc.
bool ParseLeadFast(std::string_view json, Lead& lead);

// The nlohmann-based parser: every lead and every error, with JSON Pointer
// paths. May throw on allocation failure.
Result<Lead> ParseLeadReference(std::string_view json);

}  // namespace leadroute::internal

#endif  // LEADROUTE_LEAD_PARSE_H_
