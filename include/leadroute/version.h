// leadroute version and ABI namespace.
//
// The version numbers below are parsed by CMakeLists.txt; keep the format.
#ifndef LEADROUTE_VERSION_H_
#define LEADROUTE_VERSION_H_

#define LEADROUTE_VERSION_MAJOR 0
#define LEADROUTE_VERSION_MINOR 1
#define LEADROUTE_VERSION_PATCH 0

// Encoded as MAJOR * 10000 + MINOR * 100 + PATCH, as fmt does.
#define LEADROUTE_VERSION                                            \
  (LEADROUTE_VERSION_MAJOR * 10000 + LEADROUTE_VERSION_MINOR * 100 + \
   LEADROUTE_VERSION_PATCH)

// Every public symbol lives in `leadroute::v0`; the inline namespace changes
// with incompatible ABI changes so that two versions cannot be mixed silently.
#define LEADROUTE_NAMESPACE_BEGIN \
  namespace leadroute {           \
  inline namespace v0 {
#define LEADROUTE_NAMESPACE_END \
  }                             \
  }

#endif  // LEADROUTE_VERSION_H_
