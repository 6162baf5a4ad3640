// Symbol visibility for shared builds. Static builds export nothing special.
#ifndef LEADROUTE_EXPORT_H_
#define LEADROUTE_EXPORT_H_

#if defined(LEADROUTE_SHARED_LIBRARY)
#if defined(_WIN32)
#if defined(LEADROUTE_COMPILE_LIBRARY)
#define LEADROUTE_EXPORT __declspec(dllexport)
#else
#define LEADROUTE_EXPORT __declspec(dllimport)
#endif
#else
#define LEADROUTE_EXPORT [[gnu::visibility("default")]]
#endif
#else
#define LEADROUTE_EXPORT
#endif

#endif  // LEADROUTE_EXPORT_H_
