// The C API over the engine: handles, status codes, and a guard at every
// entry point so that no C++ exception crosses into C. Only the functions
// declared in include/kimitsu/kimitsu.h are exported (KIMITSU_EXPORT here,
// hidden visibility for everything else, and a linker version script).
#include "kimitsu/kimitsu.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "match/compiled_policy.h"
#include "match/excerpt.h"
#include "match/scanner.h"
#include "policy/default_policy.h"
#include "text/decode.h"

#define KIMITSU_EXPORT extern "C" __attribute__((visibility("default")))

struct kimitsu_policy {
  std::shared_ptr<const kimitsu::match::CompiledPolicy> compiled;
};

struct kimitsu_error {
  std::string message;
  std::string rule;
  int line = 0;
  int column = 0;
};

struct kimitsu_result {
  std::shared_ptr<const kimitsu::match::CompiledPolicy> policy;
  kimitsu::match::ScanResult scan;
};

struct kimitsu_scanner {
  kimitsu::match::Scanner scanner;
  kimitsu_result result;
};

struct kimitsu_stream {
  kimitsu::match::Scanner scanner;
  std::unique_ptr<kimitsu_result> result;  // filled as the input comes; handed over by finish
  bool finished = false;
};

namespace {

using kimitsu::match::CompiledPolicy;

static_assert(KIMITSU_RESULT_FINDINGS_TRUNCATED == kimitsu::match::kFindingsTruncated);
static_assert(KIMITSU_RESULT_LOSSY_DECODE == kimitsu::match::kLossyDecode);
static_assert(KIMITSU_RESULT_BINARY == kimitsu::match::kBinaryInput);
static_assert(KIMITSU_RESULT_ENGINE_LIMIT == kimitsu::match::kEngineLimit);
static_assert(KIMITSU_RESULT_INPUT_TOO_LARGE == kimitsu::match::kInputTooLarge);
static_assert(KIMITSU_RESULT_INCOMPLETE == kimitsu::match::kIncomplete);
static_assert(KIMITSU_RESULT_EXCERPTS_TRUNCATED == kimitsu::match::kExcerptsTruncated);
static_assert(KIMITSU_RESULT_LONG_MATCH == kimitsu::match::kLongMatchCut);

// Runs `f`, turning any exception into a status.
template <typename F>
kimitsu_status Guard(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return KIMITSU_E_NO_MEMORY;
  } catch (...) {
    return KIMITSU_E_INTERNAL;
  }
}

// The size of the first version of each struct: smaller is an error; larger
// (a newer header than this library) is accepted, extra fields untouched.
constexpr size_t kScanOptionsV1 = offsetof(kimitsu_scan_options, max_excerpt_bytes);
constexpr size_t kPolicyOptionsV1 = sizeof(kimitsu_policy_options);
constexpr size_t kFindingV1 = sizeof(kimitsu_finding);
constexpr size_t kTierInfoV1 = sizeof(kimitsu_tier_info);
constexpr size_t kRuleInfoV1 = sizeof(kimitsu_rule_info);

// Copies the fields of `full` that the caller's struct has room for.
template <typename T>
void CopyOut(const T& full, T* out) {
  size_t n = std::min(out->struct_size, sizeof(T));
  std::memcpy(reinterpret_cast<char*>(out) + sizeof(size_t), reinterpret_cast<const char*>(&full) + sizeof(size_t),
              n - sizeof(size_t));
}

template <typename T>
kimitsu_status InitStruct(T* s, size_t struct_size, size_t min_size) {
  if (s == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (struct_size < min_size) return KIMITSU_E_STRUCT_SIZE;
  std::memset(s, 0, std::min(struct_size, sizeof(T)));
  s->struct_size = struct_size;
  return KIMITSU_OK;
}

kimitsu_error* MakeError(const kimitsu::policy::PolicyError& e) {
  auto err = std::make_unique<kimitsu_error>();
  err->message = e.ToString();
  err->rule = e.rule_id;
  err->line = e.line;
  err->column = e.column;
  return err.release();
}

// Translates caller policy options to compile options; validates them.
kimitsu_status ReadPolicyOptions(const kimitsu_policy_options* in, kimitsu::match::CompileOptions* out) {
  if (in == nullptr) return KIMITSU_OK;
  if (in->struct_size < kPolicyOptionsV1) return KIMITSU_E_STRUCT_SIZE;
  constexpr uint64_t kMaxBudget = static_cast<uint64_t>(INT64_MAX);
  if (in->prefilter_max_mem > kMaxBudget || in->rule_max_mem > kMaxBudget) return KIMITSU_E_INVALID_ARGUMENT;
  if (in->prefilter_max_mem) out->set_max_mem = static_cast<int64_t>(in->prefilter_max_mem);
  if (in->rule_max_mem) out->rule_max_mem = static_cast<int64_t>(in->rule_max_mem);
  kimitsu::policy::PolicyLimits& l = out->limits;
  auto set = [](uint64_t value, size_t* limit) {
    if (value) *limit = static_cast<size_t>(std::min<uint64_t>(value, SIZE_MAX));
  };
  set(in->max_rules, &l.max_rules);
  set(in->max_keywords_per_rule, &l.max_keywords_per_rule);
  set(in->max_keywords_total, &l.max_keywords_total);
  set(in->max_pattern_bytes, &l.max_pattern_bytes);
  set(in->max_policy_bytes, &l.max_policy_bytes);
  set(in->max_compiled_bytes, &l.max_compiled_bytes);
  return KIMITSU_OK;
}

kimitsu_status CompileText(std::string_view text, std::string_view source, const kimitsu_policy_options* options,
                           kimitsu_policy** out, kimitsu_error** error) {
  kimitsu::match::CompileOptions compile_options;
  if (kimitsu_status s = ReadPolicyOptions(options, &compile_options); s != KIMITSU_OK) return s;
  kimitsu::policy::PolicyError perr;
  std::unique_ptr<CompiledPolicy> compiled = CompiledPolicy::FromText(text, source, compile_options, &perr);
  if (!compiled) {
    if (error) *error = MakeError(perr);
    return KIMITSU_E_POLICY;
  }
  auto* p = new kimitsu_policy;
  p->compiled = std::move(compiled);
  *out = p;
  return KIMITSU_OK;
}

// Reads the file at `path` into `*text`, but no more than `max` bytes (a
// policy larger than its limit is refused by the loader all the same, and a
// path such as /dev/zero must not fill the memory); 0 or the errno of the
// failure (opening, or reading: a directory fails here with EISDIR).
int ReadWholeFile(const char* path, size_t max, std::string* text) {
  errno = 0;
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> f(std::fopen(path, "rb"));
  if (!f) return errno ? errno : EIO;
  char buf[64 * 1024];
  while (text->size() < max) {
    size_t n = std::fread(buf, 1, std::min(sizeof buf, max - text->size()), f.get());
    text->append(buf, n);
    if (n == 0) break;
  }
  if (std::ferror(f.get())) return errno ? errno : EIO;
  return 0;
}

const char* PlacementString(kimitsu::policy::Placement p) { return kimitsu::policy::PlacementName(p); }

// Translates caller options to engine options; validates them.
kimitsu_status ReadOptions(const kimitsu_scan_options* in, kimitsu::match::ScanOptions* out) {
  if (in == nullptr) return KIMITSU_OK;
  if (in->struct_size < kScanOptionsV1) return KIMITSU_E_STRUCT_SIZE;
  if (in->flags & ~uint32_t{KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED | KIMITSU_SCAN_ALL_MATCHES}) {
    return KIMITSU_E_INVALID_ARGUMENT;
  }
  out->all_matches = (in->flags & KIMITSU_SCAN_ALL_MATCHES) != 0;
  if (in->flags & KIMITSU_SCAN_EXCERPTS) {
    out->excerpts = (in->flags & KIMITSU_SCAN_UNMASKED) ? kimitsu::match::Excerpts::kUnmasked
                                                        : kimitsu::match::Excerpts::kMasked;
  }
  if (in->max_findings) out->max_findings = in->max_findings;
  if (in->max_input_bytes) out->max_input_bytes = static_cast<size_t>(in->max_input_bytes);
  if (in->encoding) {
    auto e = kimitsu::text::ParseEncodingName(in->encoding);
    if (!e) return KIMITSU_E_ENCODING;
    out->decode.force = *e;
  }
  // Fields added after the first version are read only if the caller's struct has them.
  const bool has_excerpt_bytes =
      in->struct_size >= offsetof(kimitsu_scan_options, max_excerpt_bytes) + sizeof in->max_excerpt_bytes;
  if (has_excerpt_bytes && in->max_excerpt_bytes) {
    out->max_excerpt_bytes = in->max_excerpt_bytes;
  }
  return KIMITSU_OK;
}

kimitsu_status ScanInto(kimitsu::match::Scanner& scanner, const kimitsu_policy* policy, const void* data,
                        size_t len, const kimitsu_scan_options* options, kimitsu_result* result) {
  if (policy == nullptr || (data == nullptr && len != 0)) return KIMITSU_E_INVALID_ARGUMENT;
  kimitsu::match::ScanOptions opts;
  if (kimitsu_status s = ReadOptions(options, &opts); s != KIMITSU_OK) return s;
  std::string_view input(len ? static_cast<const char*>(data) : "", len);
  result->policy = policy->compiled;
  if (!scanner.Scan(*policy->compiled, input, opts, &result->scan).ok()) return KIMITSU_E_INTERNAL;
  return KIMITSU_OK;
}

}  // namespace

// ---- version and status ----------------------------------------------------

KIMITSU_EXPORT const char* kimitsu_version(void) {
#define KIMITSU_STR2(x) #x
#define KIMITSU_STR(x) KIMITSU_STR2(x)
  return KIMITSU_STR(KIMITSU_VERSION_MAJOR) "." KIMITSU_STR(KIMITSU_VERSION_MINOR) "." KIMITSU_STR(
      KIMITSU_VERSION_PATCH);
}

KIMITSU_EXPORT unsigned kimitsu_version_number(void) { return KIMITSU_VERSION_NUMBER; }

KIMITSU_EXPORT const char* kimitsu_status_string(kimitsu_status status) {
  // A C caller may pass any int; read it as one (an enum value outside the
  // enumerators' range is undefined behaviour in C++).
  int code;
  static_assert(sizeof code == sizeof status);
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case KIMITSU_OK: return "ok";
    case KIMITSU_E_INVALID_ARGUMENT: return "invalid argument";
    case KIMITSU_E_STRUCT_SIZE: return "struct_size too small: initialize the struct with its _INIT macro or _init()";
    case KIMITSU_E_NO_MEMORY: return "out of memory";
    case KIMITSU_E_POLICY: return "the policy does not compile";
    case KIMITSU_E_IO: return "the file could not be read";
    case KIMITSU_E_OUT_OF_RANGE: return "index out of range";
    case KIMITSU_E_STATE: return "call out of order";
    case KIMITSU_E_ENCODING: return "unknown encoding name";
    case KIMITSU_E_INTERNAL: return "internal error";
  }
  return "unknown status";
}

// ---- policies --------------------------------------------------------------

KIMITSU_EXPORT kimitsu_status kimitsu_policy_default(kimitsu_policy** out) {
  if (out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  *out = nullptr;
  return Guard([&] {
    // The default policy is compiled once per process and shared.
    static const std::shared_ptr<const CompiledPolicy> compiled = [] {
      kimitsu::policy::PolicyError e;
      return std::shared_ptr<const CompiledPolicy>(CompiledPolicy::FromText(
          kimitsu::policy::DefaultPolicyText(), kimitsu::policy::kDefaultPolicySource, {}, &e));
    }();
    if (!compiled) return KIMITSU_E_INTERNAL;
    *out = new kimitsu_policy{compiled};
    return KIMITSU_OK;
  });
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_options_init(kimitsu_policy_options* options, size_t struct_size) {
  return InitStruct(options, struct_size, kPolicyOptionsV1);
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_compile_v2(const char* text, size_t len,
                                                        const kimitsu_policy_options* options, kimitsu_policy** out,
                                                        kimitsu_error** error) {
  if (error) *error = nullptr;
  if (out) *out = nullptr;
  if (out == nullptr || (text == nullptr && len != 0)) return KIMITSU_E_INVALID_ARGUMENT;
  return Guard(
      [&] { return CompileText(std::string_view(len ? text : "", len), "<policy>", options, out, error); });
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_compile(const char* text, size_t len, kimitsu_policy** out,
                                                     kimitsu_error** error) {
  return kimitsu_policy_compile_v2(text, len, nullptr, out, error);
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_load_file(const char* path, kimitsu_policy** out,
                                                       kimitsu_error** error) {
  return kimitsu_policy_load_file_v2(path, nullptr, out, error);
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_load_file_v2(const char* path, const kimitsu_policy_options* options,
                                                          kimitsu_policy** out, kimitsu_error** error) {
  if (error) *error = nullptr;
  if (out) *out = nullptr;
  if (out == nullptr || path == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  return Guard([&] {
    kimitsu::match::CompileOptions compile_options;
    if (kimitsu_status s = ReadPolicyOptions(options, &compile_options); s != KIMITSU_OK) return s;
    // One byte past the limit is enough for the loader to refuse the file.
    const size_t max = compile_options.limits.max_policy_bytes;
    std::string text;
    if (int err = ReadWholeFile(path, max == SIZE_MAX ? max : max + 1, &text); err != 0) {
      if (error) {
        auto e = std::make_unique<kimitsu_error>();
        e->message = std::string(path) + ": cannot read the policy file: " + std::strerror(err);
        *error = e.release();
      }
      return KIMITSU_E_IO;
    }
    return CompileText(text, path, options, out, error);
  });
}

KIMITSU_EXPORT void kimitsu_policy_free(kimitsu_policy* policy) { delete policy; }

KIMITSU_EXPORT size_t kimitsu_policy_tier_count(const kimitsu_policy* policy) {
  return policy ? policy->compiled->tier_count() : 0;
}

KIMITSU_EXPORT kimitsu_status kimitsu_tier_info_init(kimitsu_tier_info* info, size_t struct_size) {
  return InitStruct(info, struct_size, kTierInfoV1);
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_tier(const kimitsu_policy* policy, size_t index,
                                                  kimitsu_tier_info* out) {
  if (policy == nullptr || out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (out->struct_size < kTierInfoV1) return KIMITSU_E_STRUCT_SIZE;
  const auto& cp = *policy->compiled;
  if (index >= cp.tier_count()) return KIMITSU_E_OUT_OF_RANGE;
  const auto& t = cp.spec().tiers[index];
  kimitsu_tier_info full{};
  full.id = t.id.c_str();
  full.label = t.label.c_str();
  full.description = t.description.c_str();
  full.threshold = t.threshold;
  full.is_default = index == cp.default_tier();
  CopyOut(full, out);
  return KIMITSU_OK;
}

KIMITSU_EXPORT size_t kimitsu_policy_rule_count(const kimitsu_policy* policy) {
  return policy ? policy->compiled->rules().size() : 0;
}

KIMITSU_EXPORT kimitsu_status kimitsu_rule_info_init(kimitsu_rule_info* info, size_t struct_size) {
  return InitStruct(info, struct_size, kRuleInfoV1);
}

KIMITSU_EXPORT kimitsu_status kimitsu_policy_rule(const kimitsu_policy* policy, size_t index,
                                                  kimitsu_rule_info* out) {
  if (policy == nullptr || out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (out->struct_size < kRuleInfoV1) return KIMITSU_E_STRUCT_SIZE;
  const auto& cp = *policy->compiled;
  if (index >= cp.rules().size()) return KIMITSU_E_OUT_OF_RANGE;
  const auto& r = cp.rules()[index];
  kimitsu_rule_info full{};
  full.id = r.spec->id.c_str();
  full.tier = r.spec->tier.c_str();
  full.entity = r.spec->entity.c_str();
  full.description = r.spec->description.c_str();
  full.confidence = r.spec->confidence;
  full.tier_index = r.tier;
  CopyOut(full, out);
  return KIMITSU_OK;
}

// ---- policy errors ---------------------------------------------------------

KIMITSU_EXPORT const char* kimitsu_error_message(const kimitsu_error* error) {
  return error ? error->message.c_str() : "";
}
KIMITSU_EXPORT int kimitsu_error_line(const kimitsu_error* error) { return error ? error->line : 0; }
KIMITSU_EXPORT int kimitsu_error_column(const kimitsu_error* error) { return error ? error->column : 0; }
KIMITSU_EXPORT const char* kimitsu_error_rule(const kimitsu_error* error) { return error ? error->rule.c_str() : ""; }
KIMITSU_EXPORT void kimitsu_error_free(kimitsu_error* error) { delete error; }

// ---- scanning ----------------------------------------------------------------

KIMITSU_EXPORT kimitsu_status kimitsu_scan_options_init(kimitsu_scan_options* options, size_t struct_size) {
  return InitStruct(options, struct_size, kScanOptionsV1);
}

KIMITSU_EXPORT kimitsu_status kimitsu_scan(const kimitsu_policy* policy, const void* data, size_t len,
                                           const kimitsu_scan_options* options, kimitsu_result** out) {
  if (out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  *out = nullptr;
  return Guard([&] {
    // One scanner per thread keeps ICU's break iterator and the buffers warm.
    thread_local kimitsu::match::Scanner scanner;
    auto result = std::make_unique<kimitsu_result>();
    kimitsu_status s = ScanInto(scanner, policy, data, len, options, result.get());
    if (s == KIMITSU_OK) *out = result.release();
    return s;
  });
}

KIMITSU_EXPORT kimitsu_status kimitsu_scanner_new(kimitsu_scanner** out) {
  if (out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  *out = nullptr;
  return Guard([&] {
    *out = new kimitsu_scanner;
    return KIMITSU_OK;
  });
}

KIMITSU_EXPORT void kimitsu_scanner_free(kimitsu_scanner* scanner) { delete scanner; }

KIMITSU_EXPORT kimitsu_status kimitsu_scanner_scan(kimitsu_scanner* scanner, const kimitsu_policy* policy,
                                                   const void* data, size_t len,
                                                   const kimitsu_scan_options* options,
                                                   const kimitsu_result** out) {
  if (out) *out = nullptr;
  if (out == nullptr || scanner == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  return Guard([&] {
    kimitsu_status s = ScanInto(scanner->scanner, policy, data, len, options, &scanner->result);
    if (s == KIMITSU_OK) *out = &scanner->result;
    return s;
  });
}

// ---- results -------------------------------------------------------------------

KIMITSU_EXPORT const char* kimitsu_result_tier(const kimitsu_result* result) {
  return result ? result->policy->spec().tiers[result->scan.tier].id.c_str() : "";
}
KIMITSU_EXPORT size_t kimitsu_result_tier_index(const kimitsu_result* result) {
  return result ? result->scan.tier : 0;
}
KIMITSU_EXPORT double kimitsu_result_score(const kimitsu_result* result) { return result ? result->scan.score : 0.0; }

KIMITSU_EXPORT kimitsu_status kimitsu_result_tier_score(const kimitsu_result* result, size_t index, double* out) {
  if (result == nullptr || out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (index >= result->scan.tier_scores.size()) return KIMITSU_E_OUT_OF_RANGE;
  *out = result->scan.tier_scores[index];
  return KIMITSU_OK;
}

KIMITSU_EXPORT size_t kimitsu_result_finding_count(const kimitsu_result* result) {
  return result ? result->scan.findings.size() : 0;
}

KIMITSU_EXPORT uint64_t kimitsu_result_total_findings(const kimitsu_result* result) {
  return result ? result->scan.total_findings : 0;
}

KIMITSU_EXPORT kimitsu_status kimitsu_finding_init(kimitsu_finding* finding, size_t struct_size) {
  return InitStruct(finding, struct_size, kFindingV1);
}

KIMITSU_EXPORT kimitsu_status kimitsu_result_finding(const kimitsu_result* result, size_t index,
                                                     kimitsu_finding* out) {
  if (result == nullptr || out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (out->struct_size < kFindingV1) return KIMITSU_E_STRUCT_SIZE;
  if (index >= result->scan.findings.size()) return KIMITSU_E_OUT_OF_RANGE;
  const auto& f = result->scan.findings[index];
  const auto& rule = result->policy->rules()[f.rule];
  kimitsu_finding full{};
  full.rule = rule.spec->id.c_str();
  full.tier = rule.spec->tier.c_str();
  full.entity = rule.spec->entity.c_str();
  full.start = f.start;
  full.end = f.end;
  full.confidence = f.confidence;
  full.placement = PlacementString(f.placement);
  if (result->scan.excerpts_kept) {
    std::string_view excerpt = result->scan.excerpt(f);
    full.excerpt = excerpt.data();
    full.excerpt_len = excerpt.size();
  }
  full.rule_index = f.rule;
  full.tier_index = f.tier;
  full.line = f.line;
  full.base_confidence = f.base;
  full.context_delta = f.context_delta;
  CopyOut(full, out);
  return KIMITSU_OK;
}

KIMITSU_EXPORT kimitsu_status kimitsu_result_rule(const kimitsu_result* result, size_t index, uint64_t* count,
                                                  double* score) {
  if (result == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (index >= result->scan.evidence.size()) return KIMITSU_E_OUT_OF_RANGE;
  if (count) *count = result->scan.evidence[index].count;
  if (score) *score = result->scan.rule_scores[index];
  return KIMITSU_OK;
}

KIMITSU_EXPORT const char* kimitsu_result_encoding(const kimitsu_result* result) {
  return result ? kimitsu::text::EncodingName(result->scan.encoding).data() : "";
}

KIMITSU_EXPORT uint32_t kimitsu_result_flags(const kimitsu_result* result) { return result ? result->scan.flags : 0; }

KIMITSU_EXPORT uint64_t kimitsu_result_input_bytes(const kimitsu_result* result) {
  return result ? result->scan.input_bytes : 0;
}

KIMITSU_EXPORT void kimitsu_result_free(kimitsu_result* result) { delete result; }

// ---- streams -------------------------------------------------------------------

KIMITSU_EXPORT kimitsu_status kimitsu_stream_open(const kimitsu_policy* policy, const kimitsu_scan_options* options,
                                                  kimitsu_stream** out) {
  if (out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (policy == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  return Guard([&] {
    kimitsu::match::ScanOptions opts;
    if (kimitsu_status s = ReadOptions(options, &opts); s != KIMITSU_OK) return s;
    auto stream = std::make_unique<kimitsu_stream>();
    stream->result = std::make_unique<kimitsu_result>();
    stream->result->policy = policy->compiled;
    stream->scanner.Begin(*policy->compiled, opts, &stream->result->scan);
    *out = stream.release();
    return KIMITSU_OK;
  });
}

KIMITSU_EXPORT kimitsu_status kimitsu_stream_write(kimitsu_stream* stream, const void* data, size_t len) {
  if (stream == nullptr || (data == nullptr && len != 0)) return KIMITSU_E_INVALID_ARGUMENT;
  if (stream->finished) return KIMITSU_E_STATE;
  return Guard([&] {
    if (len == 0) return KIMITSU_OK;
    return stream->scanner.Write(std::string_view(static_cast<const char*>(data), len)).ok() ? KIMITSU_OK
                                                                                              : KIMITSU_E_INTERNAL;
  });
}

KIMITSU_EXPORT kimitsu_status kimitsu_stream_finish(kimitsu_stream* stream, kimitsu_result** out) {
  if (out == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (stream == nullptr) return KIMITSU_E_INVALID_ARGUMENT;
  if (stream->finished) return KIMITSU_E_STATE;
  return Guard([&] {
    stream->finished = true;
    if (!stream->scanner.Finish().ok()) return KIMITSU_E_INTERNAL;
    *out = stream->result.release();
    return KIMITSU_OK;
  });
}

KIMITSU_EXPORT void kimitsu_stream_free(kimitsu_stream* stream) { delete stream; }
