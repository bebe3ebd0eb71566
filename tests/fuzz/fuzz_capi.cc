// Fuzz target: a sequence of C API calls chosen by the input, misuse
// included — NULL handles and arguments, bad struct sizes and flags, indices
// out of range, writes after finish. Every call returns a status; none
// crashes or leaks (the handles are freed at the end, as a careful caller
// would).
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_util.h"
#include "kimitsu/kimitsu.h"

namespace {

// Reads the input as a little program.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::string Bytes(size_t n) {
    n = std::min(n, size_ - pos_);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void Inspect(const kimitsu_result* r, Reader& in) {
  FUZZ_CHECK(kimitsu_result_tier(r) != nullptr);
  double score = kimitsu_result_score(r);
  FUZZ_CHECK(score >= 0.0 && score <= 1.0);
  size_t n = kimitsu_result_finding_count(r);
  kimitsu_finding f;
  FUZZ_CHECK(kimitsu_finding_init(&f, sizeof f) == KIMITSU_OK);
  size_t index = in.Byte() % (n + 2);
  kimitsu_status s = kimitsu_result_finding(r, index, &f);
  FUZZ_CHECK(index < n ? s == KIMITSU_OK : s == KIMITSU_E_OUT_OF_RANGE);
  if (s == KIMITSU_OK) FUZZ_CHECK(f.start <= f.end && f.end <= kimitsu_result_input_bytes(r));
  f.struct_size = in.Byte();  // usually too small
  s = kimitsu_result_finding(r, 0, &f);
  FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_STRUCT_SIZE || s == KIMITSU_E_OUT_OF_RANGE);
  double tier_score = 0;
  s = kimitsu_result_tier_score(r, in.Byte() % 8, &tier_score);
  FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_OUT_OF_RANGE);
  uint64_t count = 0;
  s = kimitsu_result_rule(r, in.Byte(), &count, nullptr);
  FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_OUT_OF_RANGE);
}

kimitsu_scan_options Options(Reader& in) {
  kimitsu_scan_options o = KIMITSU_SCAN_OPTIONS_INIT;
  uint8_t b = in.Byte();
  if (b & 1) o.struct_size = in.Byte();
  if (b & 2) o.flags = in.Byte() & 7;
  if (b & 4) o.max_findings = in.Byte();
  if (b & 8) o.max_input_bytes = in.Byte();
  if (b & 16) o.encoding = (b & 32) ? "Shift_JIS" : "no-such-encoding";
  if (b & 64) o.max_excerpt_bytes = in.Byte();
  return o;
}

// Policy options: NULL, or small limits and budgets (any may be hit).
const kimitsu_policy_options* PolicyOptions(Reader& in, kimitsu_policy_options* o) {
  uint8_t b = in.Byte();
  if (!(b & 1)) return nullptr;
  *o = KIMITSU_POLICY_OPTIONS_INIT;
  if (b & 2) o->struct_size = size_t{in.Byte()} * 2;  // too small, or a newer header's
  if (b & 4) o->rule_max_mem = uint64_t{in.Byte()} << 12;
  if (b & 8) o->prefilter_max_mem = uint64_t{in.Byte()} << 14;
  if (b & 16) o->max_rules = in.Byte();
  if (b & 32) o->max_keywords_total = in.Byte();
  if (b & 64) o->max_pattern_bytes = in.Byte();
  if (b & 128) o->max_compiled_bytes = uint64_t{in.Byte()} << 10;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(data, size);
  kimitsu_policy* policy = nullptr;
  kimitsu_scanner* scanner = nullptr;
  kimitsu_stream* stream = nullptr;
  kimitsu_result* result = nullptr;
  for (int steps = 0; !in.done() && steps < 64; ++steps) {
    switch (in.Byte() % 10) {
      case 0: {  // compile a policy from the input
        std::string text = in.Bytes(in.Byte() * 4);
        kimitsu_policy* p = nullptr;
        kimitsu_error* error = nullptr;
        kimitsu_policy_options options;
        const kimitsu_policy_options* opts = PolicyOptions(in, &options);
        kimitsu_status s = kimitsu_policy_compile_v2(text.data(), text.size(), opts, &p, &error);
        FUZZ_CHECK((s == KIMITSU_OK) == (p != nullptr));
        FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_POLICY || s == KIMITSU_E_STRUCT_SIZE);
        if (s == KIMITSU_E_POLICY) FUZZ_CHECK(error != nullptr && kimitsu_error_message(error)[0] != '\0');
        kimitsu_error_free(error);
        if (p) {
          kimitsu_policy_free(policy);
          policy = p;
        }
        break;
      }
      case 1:
        kimitsu_policy_free(policy);
        policy = nullptr;
        FUZZ_CHECK(kimitsu_policy_default(&policy) == KIMITSU_OK);
        break;
      case 2: {  // one-shot scan, the policy possibly NULL
        std::string doc = in.Bytes(in.Byte() * 8);
        kimitsu_scan_options o = Options(in);
        kimitsu_result* r = nullptr;
        kimitsu_status s = kimitsu_scan(policy, doc.data(), doc.size(), (in.Byte() & 1) ? &o : nullptr, &r);
        FUZZ_CHECK((s == KIMITSU_OK) == (r != nullptr));
        if (policy == nullptr) FUZZ_CHECK(s == KIMITSU_E_INVALID_ARGUMENT);
        if (r) {
          Inspect(r, in);
          kimitsu_result_free(result);
          result = r;
        }
        break;
      }
      case 3:
        if (!scanner) FUZZ_CHECK(kimitsu_scanner_new(&scanner) == KIMITSU_OK);
        {
          std::string doc = in.Bytes(in.Byte() * 8);
          const kimitsu_result* r = nullptr;
          kimitsu_status s = kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &r);
          FUZZ_CHECK((s == KIMITSU_OK) == (r != nullptr));
          if (r) Inspect(r, in);
        }
        break;
      case 4:
        if (!stream) {
          kimitsu_scan_options o = Options(in);
          kimitsu_status s = kimitsu_stream_open(policy, &o, &stream);
          FUZZ_CHECK((s == KIMITSU_OK) == (stream != nullptr));
        }
        break;
      case 5: {
        std::string piece = in.Bytes(in.Byte() * 16);
        kimitsu_status s = kimitsu_stream_write(stream, piece.data(), piece.size());
        FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_STATE || (stream == nullptr && s == KIMITSU_E_INVALID_ARGUMENT));
        break;
      }
      case 6: {
        kimitsu_result* r = nullptr;
        kimitsu_status s = kimitsu_stream_finish(stream, &r);
        FUZZ_CHECK((s == KIMITSU_OK) == (r != nullptr));
        if (r) {
          Inspect(r, in);
          kimitsu_result_free(r);
        }
        break;
      }
      case 7:
        kimitsu_stream_free(stream);
        stream = nullptr;
        break;
      case 8: {  // policy metadata, indices in and out of range
        kimitsu_tier_info t;
        kimitsu_tier_info_init(&t, sizeof t);
        kimitsu_status s = kimitsu_policy_tier(policy, in.Byte() % 8, &t);
        FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_OUT_OF_RANGE || s == KIMITSU_E_INVALID_ARGUMENT);
        kimitsu_rule_info ri;
        kimitsu_rule_info_init(&ri, sizeof ri);
        s = kimitsu_policy_rule(policy, in.Byte(), &ri);
        FUZZ_CHECK(s == KIMITSU_OK || s == KIMITSU_E_OUT_OF_RANGE || s == KIMITSU_E_INVALID_ARGUMENT);
        if (s == KIMITSU_OK) FUZZ_CHECK(ri.id != nullptr && ri.tier != nullptr);
        break;
      }
      case 9:  // NULLs everywhere
        FUZZ_CHECK(kimitsu_policy_default(nullptr) == KIMITSU_E_INVALID_ARGUMENT);
        FUZZ_CHECK(kimitsu_scan(policy, nullptr, 1, nullptr, nullptr) == KIMITSU_E_INVALID_ARGUMENT);
        FUZZ_CHECK(std::strlen(kimitsu_status_string(static_cast<kimitsu_status>(-static_cast<int>(in.Byte())))) > 0);
        FUZZ_CHECK(kimitsu_result_finding_count(nullptr) == 0);
        break;
    }
  }
  kimitsu_result_free(result);
  kimitsu_stream_free(stream);
  kimitsu_scanner_free(scanner);
  kimitsu_policy_free(policy);
  return 0;
}
