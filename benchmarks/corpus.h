// The benchmark corpus: documents generated deterministically from a fixed
// seed, so that every run of the suite, on any machine, scans the same bytes.
//
// A document is a mix, by bytes, of 70% English prose, 20% Japanese prose
// (with the full-width digits and brackets real Japanese text has, so NFKC
// has work to do) and 10% CSV and log lines. Sensitive items — classification
// and corporate markings, payment card numbers (brand prefix and Luhn), My
// Numbers (valid check digit) under a 個人番号 label, e-mail addresses, IPv4
// addresses and AWS access key ids — are sprinkled in at a mean spacing that
// depends on the variant:
//
//   kMixed  ~20 items per MB (the realistic mix)
//   kClean  none inserted: the default policy finds nothing up to 1 MB (at
//           64 MB, random SKU codes such as SKU-OLES-75 and SKU-CRMB-43 give
//           20 weak findings: LES and CRM are matched inside words)
//   kDense  ~5,000 items per MB (one every ~200 bytes)
//
// The generator uses its own PRNG (splitmix64) and integer arithmetic only,
// never <random>'s distributions, whose output differs between standard
// libraries.
#ifndef KIMITSU_BENCHMARKS_CORPUS_H_
#define KIMITSU_BENCHMARKS_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kimitsu::bench {

inline constexpr uint64_t kCorpusSeed = 0x6b696d69747375ULL;  // "kimitsu"

enum class Mix { kMixed, kClean, kDense };

std::string_view MixName(Mix mix);

struct CorpusStats {
  size_t english_bytes = 0;
  size_t japanese_bytes = 0;
  size_t table_bytes = 0;  // CSV and log lines
  size_t items = 0;        // sensitive items inserted
};

// A document of `bytes` bytes (less at most 3, cut at a character boundary).
std::string GenerateCorpus(Mix mix, size_t bytes, uint64_t seed = kCorpusSeed, CorpusStats* stats = nullptr);

// Japanese prose only (no sensitive items), UTF-8.
std::string GenerateJapanese(size_t bytes, uint64_t seed = kCorpusSeed);

// English prose only (no sensitive items), pure ASCII.
std::string GenerateEnglish(size_t bytes, uint64_t seed = kCorpusSeed);

// Deterministic 64-bit PRNG (splitmix64).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n > 0); the modulo bias is irrelevant here.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  // Uniform in [lo, hi].
  size_t Between(size_t lo, size_t hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int p) { return Below(100) < static_cast<size_t>(p); }

 private:
  uint64_t state_;
};

}  // namespace kimitsu::bench

#endif  // KIMITSU_BENCHMARKS_CORPUS_H_
