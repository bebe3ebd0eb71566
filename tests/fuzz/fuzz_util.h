// Shared by the fuzz targets: checks that abort loudly, so that libFuzzer and
// the corpus replay tests both see a failed invariant as a crash.
#ifndef KIMITSU_TESTS_FUZZ_FUZZ_UTIL_H_
#define KIMITSU_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                             \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

#endif  // KIMITSU_TESTS_FUZZ_FUZZ_UTIL_H_
