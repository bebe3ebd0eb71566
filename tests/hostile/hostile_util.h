// Helpers of the hostile-input tests: handles, scans through the C API, and
// a counting allocator that measures the peak of heap bytes in use (what a
// scan adds to memory, with the input itself excluded).
#ifndef KIMITSU_TESTS_HOSTILE_HOSTILE_UTIL_H_
#define KIMITSU_TESTS_HOSTILE_HOSTILE_UTIL_H_

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "capi/capi_handles.h"
#include "kimitsu/kimitsu.h"

namespace hostile {

// The sizes the issue names (100 MB, 50 MB, 10,000,000 matches) in the
// normal build; divided by this under sanitizers, whose checks make every
// byte some ten times slower (KIMITSU_HOSTILE_DIVISOR, set by CMake).
#ifndef KIMITSU_HOSTILE_DIVISOR
#define KIMITSU_HOSTILE_DIVISOR 1
#endif
constexpr size_t kDivisor = KIMITSU_HOSTILE_DIVISOR;
constexpr size_t Scaled(size_t n) { return n / kDivisor; }

using kimitsu_test::Compiled;
using kimitsu_test::ErrorPtr;
using kimitsu_test::PolicyPtr;
using kimitsu_test::ResultPtr;

PolicyPtr DefaultPolicy();

Compiled Compile(std::string_view text, const kimitsu_policy_options* options = nullptr);

ResultPtr Scan(const kimitsu_policy* policy, std::string_view data, const kimitsu_scan_options* options = nullptr);
// The same input through kimitsu_stream_* in pieces of `piece` bytes.
ResultPtr StreamScan(const kimitsu_policy* policy, std::string_view data, size_t piece,
                     const kimitsu_scan_options* options = nullptr);

// Everything a result says, as text, to compare results.
std::string Describe(const kimitsu_result* r);

// Checks that hold for any result of any input: a known tier, scores in
// [0, 1], findings in input order inside the input, counts consistent.
void ExpectSane(const kimitsu_policy* policy, const kimitsu_result* r, std::string_view input);

// The counting allocator (operator new/delete of this program, so also of
// the library it loads). Not installed under sanitizers, which have their
// own; then Available() is false.
namespace memory {
bool Available();
// Starts a measurement: the peak becomes the bytes in use now.
void ResetPeak();
// Bytes in use now, and the most in use since ResetPeak().
size_t InUse();
size_t Peak();
}  // namespace memory

}  // namespace hostile

#endif  // KIMITSU_TESTS_HOSTILE_HOSTILE_UTIL_H_
