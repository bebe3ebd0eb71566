// Owning handles for the C API's objects, and the compile and scan calls the
// C API tests (capi, hostile, stress) all make. Public header only.
#ifndef KIMITSU_TESTS_CAPI_CAPI_HANDLES_H_
#define KIMITSU_TESTS_CAPI_CAPI_HANDLES_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "kimitsu/kimitsu.h"

namespace kimitsu_test {

struct PolicyDeleter {
  void operator()(kimitsu_policy* p) const { kimitsu_policy_free(p); }
};
struct ResultDeleter {
  void operator()(kimitsu_result* r) const { kimitsu_result_free(r); }
};
struct ErrorDeleter {
  void operator()(kimitsu_error* e) const { kimitsu_error_free(e); }
};
struct ScannerDeleter {
  void operator()(kimitsu_scanner* s) const { kimitsu_scanner_free(s); }
};
struct StreamDeleter {
  void operator()(kimitsu_stream* s) const { kimitsu_stream_free(s); }
};
using PolicyPtr = std::unique_ptr<kimitsu_policy, PolicyDeleter>;
using ResultPtr = std::unique_ptr<kimitsu_result, ResultDeleter>;
using ErrorPtr = std::unique_ptr<kimitsu_error, ErrorDeleter>;
using ScannerPtr = std::unique_ptr<kimitsu_scanner, ScannerDeleter>;
using StreamPtr = std::unique_ptr<kimitsu_stream, StreamDeleter>;

// A compile's outcome: the status, and the policy or the error.
struct Compiled {
  kimitsu_status status = KIMITSU_E_INTERNAL;
  PolicyPtr policy;
  ErrorPtr error;
  std::string message() const { return error ? kimitsu_error_message(error.get()) : ""; }
  std::string rule() const { return error ? kimitsu_error_rule(error.get()) : ""; }
  int line() const { return error ? kimitsu_error_line(error.get()) : 0; }
  int column() const { return error ? kimitsu_error_column(error.get()) : 0; }
};

// kimitsu_policy_compile_v2 of `text` with `options` (NULL: the defaults).
inline Compiled CompileWith(std::string_view text, const kimitsu_policy_options* options) {
  Compiled c;
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  c.status = kimitsu_policy_compile_v2(text.data(), text.size(), options, &p, &e);
  c.policy.reset(p);
  c.error.reset(e);
  return c;
}

// kimitsu_scan, expected to succeed.
inline ResultPtr ScanWith(const kimitsu_policy* policy, std::string_view data,
                          const kimitsu_scan_options* options = nullptr) {
  kimitsu_result* r = nullptr;
  EXPECT_EQ(kimitsu_scan(policy, data.data(), data.size(), options, &r), KIMITSU_OK);
  return ResultPtr(r);
}

}  // namespace kimitsu_test

#endif  // KIMITSU_TESTS_CAPI_CAPI_HANDLES_H_
