// Owning wrappers for the C API's handles: each releases its handle with the
// matching kimitsu_*_free when it goes out of scope.
#ifndef KIMITSU_CLI_HANDLES_H_
#define KIMITSU_CLI_HANDLES_H_

#include <memory>

#include "kimitsu/kimitsu.h"

namespace kimitsu_cli {

struct PolicyFree {
  void operator()(kimitsu_policy* p) const { kimitsu_policy_free(p); }
};
struct ScannerFree {
  void operator()(kimitsu_scanner* s) const { kimitsu_scanner_free(s); }
};
struct StreamFree {
  void operator()(kimitsu_stream* s) const { kimitsu_stream_free(s); }
};
struct ResultFree {
  void operator()(kimitsu_result* r) const { kimitsu_result_free(r); }
};
struct ErrorFree {
  void operator()(kimitsu_error* e) const { kimitsu_error_free(e); }
};

using PolicyHandle = std::unique_ptr<kimitsu_policy, PolicyFree>;
using ScannerHandle = std::unique_ptr<kimitsu_scanner, ScannerFree>;
using StreamHandle = std::unique_ptr<kimitsu_stream, StreamFree>;
using ResultHandle = std::unique_ptr<kimitsu_result, ResultFree>;
using ErrorHandle = std::unique_ptr<kimitsu_error, ErrorFree>;

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_HANDLES_H_
