// The reference engines kimitsu is measured against, each given the same
// patterns (policies.h ExportPatterns) and scanning the same bytes:
//
//   Re2SetReference    a bare RE2::Set: which rules fire, per 64 KiB chunk
//   HyperscanReference Hyperscan block mode, every match reported
//   NaiveReference     one RE2 per rule over the whole buffer (FindAndConsume)
//   MemchrReference    memchr for a byte that is not there: the memory speed
#ifndef KIMITSU_BENCHMARKS_REFERENCES_H_
#define KIMITSU_BENCHMARKS_REFERENCES_H_

#include <re2/re2.h>
#include <re2/set.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policies.h"

namespace kimitsu::bench {

class Re2SetReference {
 public:
  // max_mem as the engine's prefilter has it (64 MiB).
  explicit Re2SetReference(const std::vector<ExportedPattern>& patterns, int64_t max_mem = int64_t{64} << 20);
  bool ok() const { return ok_; }
  // Scans `text` in chunks of `chunk` bytes (cut at character boundaries);
  // returns the number of (chunk, rule) pairs that fired. Sets *gave_up when
  // RE2 ran out of memory on some chunk.
  size_t Scan(std::string_view text, size_t chunk, bool* gave_up) const;

 private:
  std::unique_ptr<RE2::Set> set_;
  bool ok_ = false;
};

class NaiveReference {
 public:
  // Each rule's RE2 with the engine's per-rule options (8 MiB max_mem).
  explicit NaiveReference(const std::vector<ExportedPattern>& patterns);
  // Every match of every rule over the whole buffer; returns the count.
  size_t Scan(std::string_view text) const;

 private:
  std::vector<std::unique_ptr<RE2>> res_;
};

size_t MemchrScan(std::string_view text);

#ifdef KIMITSU_BENCH_HYPERSCAN
class HyperscanReference {
 public:
  // Compiles every pattern Hyperscan accepts (HS_FLAG_UTF8, plus
  // HS_FLAG_CASELESS for caseless rules); the others are listed in
  // rejected() with Hyperscan's reason and left out.
  explicit HyperscanReference(const std::vector<ExportedPattern>& patterns);
  ~HyperscanReference();
  HyperscanReference(const HyperscanReference&) = delete;
  HyperscanReference& operator=(const HyperscanReference&) = delete;

  bool ok() const { return db_ != nullptr; }
  const std::vector<std::string>& rejected() const { return rejected_; }
  size_t accepted() const { return accepted_; }
  double compile_ms() const { return compile_ms_; }
  size_t database_bytes() const;

  // Per-thread scratch.
  class Scratch {
   public:
    explicit Scratch(const HyperscanReference& ref);
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    void* get() const { return scratch_; }

   private:
    void* scratch_ = nullptr;
  };

  // Every match in `text` (block mode); returns the count.
  size_t Scan(std::string_view text, const Scratch& scratch) const;

 private:
  void* db_ = nullptr;  // hs_database_t
  std::vector<std::string> rejected_;
  size_t accepted_ = 0;
  double compile_ms_ = 0;
};
#endif

}  // namespace kimitsu::bench

#endif  // KIMITSU_BENCHMARKS_REFERENCES_H_
