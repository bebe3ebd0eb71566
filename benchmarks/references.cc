#include "references.h"

#include <chrono>
#include <cstring>

#ifdef KIMITSU_BENCH_HYPERSCAN
#include <hs.h>
#endif

namespace kimitsu::bench {
namespace {

size_t CharBoundaryAtOrBefore(std::string_view s, size_t i) {
  while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

RE2::Options Options(bool case_sensitive, int64_t max_mem) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_case_sensitive(case_sensitive);
  o.set_max_mem(max_mem);
  o.set_log_errors(false);
  return o;
}

}  // namespace

Re2SetReference::Re2SetReference(const std::vector<ExportedPattern>& patterns, int64_t max_mem) {
  set_ = std::make_unique<RE2::Set>(Options(true, max_mem), RE2::UNANCHORED);
  for (const ExportedPattern& p : patterns) {
    std::string pattern = p.caseless ? "(?i:" + p.pattern + ")" : p.pattern;
    if (set_->Add(pattern, nullptr) < 0) return;
  }
  ok_ = set_->Compile();
}

size_t Re2SetReference::Scan(std::string_view text, size_t chunk, bool* gave_up) const {
  std::vector<int> fired;
  size_t total = 0;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = begin + chunk >= text.size() ? text.size() : CharBoundaryAtOrBefore(text, begin + chunk);
    if (end <= begin) end = std::min(text.size(), begin + chunk);
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    fired.clear();
    if (!set_->Match(re2::StringPiece(text.data() + begin, end - begin), &fired, &info) &&
        info.kind != RE2::Set::kNoError) {
      *gave_up = true;
    }
    total += fired.size();
    begin = end;
  }
  return total;
}

NaiveReference::NaiveReference(const std::vector<ExportedPattern>& patterns) {
  for (const ExportedPattern& p : patterns) {
    res_.push_back(std::make_unique<RE2>(p.pattern, Options(!p.caseless, int64_t{8} << 20)));
  }
}

size_t NaiveReference::Scan(std::string_view text) const {
  size_t matches = 0;
  for (const auto& re : res_) {
    re2::StringPiece input(text.data(), text.size());
    while (RE2::FindAndConsume(&input, *re)) ++matches;
  }
  return matches;
}

size_t MemchrScan(std::string_view text) {
  // A byte that is in no text: memchr runs the whole buffer.
  return std::memchr(text.data(), 0x01, text.size()) == nullptr ? text.size() : 0;
}

#ifdef KIMITSU_BENCH_HYPERSCAN

HyperscanReference::HyperscanReference(const std::vector<ExportedPattern>& patterns) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    const ExportedPattern& p = patterns[i];
    expressions.push_back(p.pattern.c_str());
    flags.push_back(HS_FLAG_UTF8 | (p.caseless ? HS_FLAG_CASELESS : 0u));
    ids.push_back(static_cast<unsigned>(i));
  }
  // Hyperscan names the first expression it rejects: report it, leave it
  // out and compile the rest again.
  while (!expressions.empty()) {
    auto start = std::chrono::steady_clock::now();
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                         HS_MODE_BLOCK, nullptr, &db, &error) == HS_SUCCESS) {
      compile_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      db_ = db;
      break;
    }
    std::string why = error && error->message ? error->message : "rejected";
    int bad = error ? error->expression : -1;
    hs_free_compile_error(error);
    if (bad < 0 || static_cast<size_t>(bad) >= expressions.size()) {
      rejected_.push_back("(the whole set): " + why);
      break;
    }
    rejected_.push_back(patterns[ids[static_cast<size_t>(bad)]].rule_id + ": " + why);
    expressions.erase(expressions.begin() + bad);
    flags.erase(flags.begin() + bad);
    ids.erase(ids.begin() + bad);
  }
  accepted_ = db_ ? expressions.size() : 0;
}

HyperscanReference::~HyperscanReference() { hs_free_database(static_cast<hs_database_t*>(db_)); }

size_t HyperscanReference::database_bytes() const {
  size_t size = 0;
  if (db_) hs_database_size(static_cast<hs_database_t*>(db_), &size);
  return size;
}

HyperscanReference::Scratch::Scratch(const HyperscanReference& ref) {
  hs_scratch_t* s = nullptr;
  if (ref.db_) hs_alloc_scratch(static_cast<hs_database_t*>(ref.db_), &s);
  scratch_ = s;
}

HyperscanReference::Scratch::~Scratch() { hs_free_scratch(static_cast<hs_scratch_t*>(scratch_)); }

size_t HyperscanReference::Scan(std::string_view text, const Scratch& scratch) const {
  size_t matches = 0;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
    ++*static_cast<size_t*>(ctx);
    return 0;
  };
  hs_scan(static_cast<hs_database_t*>(db_), text.data(), static_cast<unsigned>(text.size()), 0,
          static_cast<hs_scratch_t*>(scratch.get()), on_match, &matches);
  return matches;
}

#endif  // KIMITSU_BENCH_HYPERSCAN

}  // namespace kimitsu::bench
