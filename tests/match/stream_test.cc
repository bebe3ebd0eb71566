// Scanner streaming: Begin, Write any number of pieces, Finish gives exactly
// the result of the one-shot Scan() of the whole input — however the input is
// cut, for every document of the corpus and for large synthetic documents
// whose findings sit where chunks, their overlap, the kept-back text and the
// lookahead meet — in memory that does not grow with the input.
#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "match/compiled_policy.h"
#include "match/scanner.h"
#include "match/validators.h"
#include "policy/default_policy.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define KIMITSU_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define KIMITSU_TEST_SANITIZED 1
#endif

namespace kimitsu::match {
namespace {

// ---------------------------------------------------------------------------
// Helpers

const CompiledPolicy& DefaultPolicy() {
  static const CompiledPolicy* policy = [] {
    policy::PolicyError error;
    auto p = CompiledPolicy::FromText(policy::DefaultPolicyText(), policy::kDefaultPolicySource, {}, &error);
    EXPECT_NE(p, nullptr) << error.ToString();
    return p.release();
  }();
  return *policy;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CorpusDoc {
  std::string path;
  std::string encoding;  // the manifest's label
  std::string bytes;
};

// The value of "key": "..." in one manifest line (the values hold no quotes).
std::string JsonString(std::string_view line, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\": \"";
  size_t at = line.find(needle);
  if (at == std::string_view::npos) return "";
  at += needle.size();
  return std::string(line.substr(at, line.find('"', at) - at));
}

const std::vector<CorpusDoc>& Corpus() {
  static const std::vector<CorpusDoc>* docs = [] {
    auto* out = new std::vector<CorpusDoc>;
    const std::string dir = std::string(KIMITSU_SOURCE_DIR) + "/tests/corpus/";
    std::ifstream manifest(dir + "manifest.jsonl");
    std::string line;
    while (std::getline(manifest, line)) {
      if (line.empty()) continue;
      CorpusDoc d{JsonString(line, "path"), JsonString(line, "encoding"), ""};
      d.bytes = ReadFile(dir + d.path);
      out->push_back(std::move(d));
    }
    return out;
  }();
  return *docs;
}

std::string Encode(const char* converter, std::string_view utf8) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(converter, &status);
  EXPECT_TRUE(U_SUCCESS(status));
  ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::string out(static_cast<size_t>(u.length()) * 4 + 16, '\0');
  int32_t n = ucnv_fromUChars(cnv, out.data(), static_cast<int32_t>(out.size()), u.getBuffer(), u.length(), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << converter << ": " << u_errorName(status);
  ucnv_close(cnv);
  out.resize(U_SUCCESS(status) ? static_cast<size_t>(n) : 0);
  return out;
}

// Piece lengths adding up to `n`: sizes drawn from 1..max_piece, a third of
// them tiny (1..8 bytes) when `tiny`.
std::vector<size_t> RandomPieces(size_t n, uint32_t seed, size_t max_piece, bool tiny = true) {
  std::mt19937 rng(seed);
  std::vector<size_t> out;
  for (size_t at = 0; at < n;) {
    size_t len = tiny && rng() % 3 == 0 ? 1 + rng() % 8 : 1 + std::uniform_int_distribution<size_t>(0, max_piece - 1)(rng);
    len = std::min(len, n - at);
    out.push_back(len);
    at += len;
  }
  return out;
}

std::vector<size_t> FixedPieces(size_t n, size_t size, size_t first = 0) {
  std::vector<size_t> out;
  size_t at = 0;
  if (first && first < n) {
    out.push_back(first);
    at = first;
  }
  for (; at < n; at += size) out.push_back(std::min(size, n - at));
  return out;
}

// Pieces cut exactly at each of `cuts` (sorted), randomly in between.
std::vector<size_t> PiecesCutAt(size_t n, std::vector<size_t> cuts, uint32_t seed) {
  std::sort(cuts.begin(), cuts.end());
  std::mt19937 rng(seed);
  std::vector<size_t> out;
  size_t at = 0;
  for (size_t c : cuts) {
    if (c <= at || c >= n) continue;
    while (c - at > 300000) {  // something in between
      size_t len = 1 + rng() % 300000;
      out.push_back(len);
      at += len;
    }
    out.push_back(c - at);
    at = c;
  }
  if (at < n) out.push_back(n - at);
  return out;
}

ScanResult OneShot(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options) {
  Scanner scanner;
  ScanResult r;
  absl::Status s = scanner.Scan(policy, input, options, &r);
  EXPECT_TRUE(s.ok()) << s;
  return r;
}

ScanResult Streamed(Scanner& scanner, const CompiledPolicy& policy, std::string_view input,
                    const ScanOptions& options, const std::vector<size_t>& pieces) {
  ScanResult r;
  scanner.Begin(policy, options, &r);
  size_t at = 0;
  for (size_t len : pieces) {
    absl::Status s = scanner.Write(input.substr(at, len));
    EXPECT_TRUE(s.ok()) << s;
    at += len;
  }
  EXPECT_EQ(at, input.size());
  absl::Status s = scanner.Finish();
  EXPECT_TRUE(s.ok()) << s;
  return r;
}

std::string Describe(const CompiledPolicy& policy, const Finding& f) {
  std::ostringstream s;
  s << policy.spec().rules[f.rule].id << " [" << f.start << ", " << f.end << ") text [" << f.text_start << ", "
    << f.text_end << ") line " << f.line << " conf " << f.confidence << " base " << f.base << " delta "
    << f.context_delta << " placement " << static_cast<int>(f.placement);
  return s.str();
}

// Everything a result says, compared exactly (the same arithmetic in the same
// order gives the same doubles).
void ExpectSameResult(const CompiledPolicy& policy, const ScanResult& want, const ScanResult& got,
                      const std::string& where) {
  EXPECT_EQ(got.tier, want.tier) << where;
  EXPECT_EQ(got.score, want.score) << where;
  EXPECT_EQ(got.tier_scores, want.tier_scores) << where;
  EXPECT_EQ(got.rule_scores, want.rule_scores) << where;
  EXPECT_EQ(got.total_findings, want.total_findings) << where;
  EXPECT_EQ(got.flags, want.flags) << where;
  EXPECT_EQ(text::EncodingName(got.encoding), text::EncodingName(want.encoding)) << where;
  EXPECT_EQ(got.encoding_confidence, want.encoding_confidence) << where;
  EXPECT_EQ(got.replacements, want.replacements) << where;
  EXPECT_EQ(got.input_bytes, want.input_bytes) << where;
  EXPECT_EQ(got.excerpts_kept, want.excerpts_kept) << where;
  EXPECT_TRUE(got.excerpts == want.excerpts) << where;
  ASSERT_EQ(got.evidence.size(), want.evidence.size()) << where;
  for (size_t r = 0; r < want.evidence.size(); ++r) {
    EXPECT_EQ(got.evidence[r].count, want.evidence[r].count) << where << " rule " << policy.spec().rules[r].id;
    EXPECT_EQ(got.evidence[r].strongest, want.evidence[r].strongest) << where;
    EXPECT_EQ(got.evidence[r].miss, want.evidence[r].miss) << where;
  }
  EXPECT_EQ(got.findings.size(), want.findings.size()) << where;
  size_t shown = 0;
  for (size_t i = 0; i < std::min(got.findings.size(), want.findings.size()); ++i) {
    const Finding& a = want.findings[i];
    const Finding& b = got.findings[i];
    bool same = a.rule == b.rule && a.tier == b.tier && a.start == b.start && a.end == b.end &&
                a.text_start == b.text_start && a.text_end == b.text_end && a.line == b.line &&
                a.confidence == b.confidence &&
                a.base == b.base && a.placement == b.placement && a.context_delta == b.context_delta &&
                want.excerpt(a) == got.excerpt(b);
    if (!same && ++shown <= 5) {
      ADD_FAILURE() << where << ": finding " << i << "\n  one-shot: " << Describe(policy, a)
                    << "\n  streamed: " << Describe(policy, b);
    }
  }
}

// The one-shot result of `input`, then the streamed result for each way of
// cutting it, compared.
void ExpectStreamsEqual(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options,
                        const std::vector<std::vector<size_t>>& cuts, const std::string& where,
                        ScanResult* one_shot = nullptr) {
  ScanResult want = OneShot(policy, input, options);
  Scanner scanner;  // reused from cut to cut, as a caller would
  for (size_t k = 0; k < cuts.size(); ++k) {
    ScanResult got = Streamed(scanner, policy, input, options, cuts[k]);
    ExpectSameResult(policy, want, got, where + " [cut " + std::to_string(k) + ", " +
                                            std::to_string(cuts[k].size()) + " pieces]");
    if (::testing::Test::HasFailure()) break;
  }
  if (one_shot) *one_shot = std::move(want);
}

// ---------------------------------------------------------------------------
// (a) The corpus

TEST(ScannerStreamTest, EveryCorpusDocumentHoweverCut) {
  const CompiledPolicy& policy = DefaultPolicy();
  const std::vector<CorpusDoc>& docs = Corpus();
  ASSERT_GE(docs.size(), 80u) << "the corpus manifest lists too few documents";
  size_t with_findings = 0;
  for (const CorpusDoc& doc : docs) {
    ASSERT_FALSE(doc.bytes.empty()) << doc.path;
    const size_t n = doc.bytes.size();
    const uint32_t seed = static_cast<uint32_t>(n);
    std::vector<std::vector<size_t>> cuts = {
        FixedPieces(n, 1),                                  // every byte alone
        RandomPieces(n, seed, 16),                          // tiny
        RandomPieces(n, seed + 1, 700),                     // small
        RandomPieces(n, seed + 2, 1 << 20, false),          // huge
        {n / 2, n - n / 2},                                 // halves
    };
    ScanOptions masked;
    masked.excerpts = Excerpts::kMasked;
    ScanResult want;
    ExpectStreamsEqual(policy, doc.bytes, masked, cuts, doc.path + " (masked excerpts)", &want);
    with_findings += !want.findings.empty();
    // Unmasked excerpts and a cap of 2 findings; a forced encoding.
    ScanOptions capped;
    capped.excerpts = Excerpts::kUnmasked;
    capped.max_findings = 2;
    ExpectStreamsEqual(policy, doc.bytes, capped, {cuts[1], cuts[2]}, doc.path + " (capped)");
    std::string label = doc.encoding == "UTF-8-BOM" ? "UTF-8" : doc.encoding;
    if (auto e = text::ParseEncodingName(label)) {
      ScanOptions forced;
      forced.decode.force = *e;
      ExpectStreamsEqual(policy, doc.bytes, forced, {cuts[0], cuts[1]}, doc.path + " (forced " + label + ")");
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(with_findings, docs.size() / 2);
}

// ---------------------------------------------------------------------------
// (b) Large synthetic documents

// A valid My Number starting with the 11 digits `base`.
std::string MyNumber(std::string base) {
  const ValidatorInfo* v = FindValidator("jp_my_number");
  for (char d = '0'; d <= '9'; ++d) {
    std::string n = base + d;
    if (v && v->fn(n)) return n.substr(0, 4) + " " + n.substr(4, 4) + " " + n.substr(8, 4);
  }
  ADD_FAILURE() << "no check digit for " << base;
  return base;
}

// Things the default policy finds, each on a line of its own or in prose.
std::vector<std::string> Plants() {
  return {
      "\n【特定秘密】\n",
      "\nTOP SECRET//NOFORN\n",
      " Please charge my card 4111 1111 1111 1111 for the order. ",
      " 個人番号: " + MyNumber("12345678901") + " ",
      "\n社外秘\n",
      " password = \"hunter2-Zq9\" ",
      " AKIAIOSFODNN7EXAMPLE ",
      "\n取扱注意\n",
      " My Number " + MyNumber("98765432109") + " and card 5555 5555 5555 4444 ",
  };
}

std::string AsciiFiller(size_t n, std::mt19937& rng) {
  static const char* kWords[] = {"the", "quarterly", "report", "shows", "growth", "in", "several", "regions",
                                 "and", "a", "modest", "decline", "elsewhere", "meeting", "notes", "follow"};
  std::string s;
  while (s.size() < n) {
    s += kWords[rng() % std::size(kWords)];
    s += rng() % 12 == 0 ? '\n' : ' ';
  }
  s.resize(n);
  return s;
}

std::string JapaneseFiller(size_t n, std::mt19937& rng) {
  static const char* kLines[] = {"本日の会議では来期の計画について議論しました。", "資料は後日共有します。",
                                 "ご確認のほどよろしくお願いいたします。", "天気が良いので散歩に行きました。",
                                 "新しい店舗は駅前にオープンする予定です。"};
  std::string s;
  while (s.size() < n) {
    s += kLines[rng() % std::size(kLines)];
    if (rng() % 3 == 0) s += '\n';
  }
  return s;
}

// A document of about `size` bytes: corpus documents (UTF-8 ones), ASCII and
// Japanese prose, and a 300 KB line without a newline, with plants placed
// near every 64 KiB multiple (and a few bytes either side) and densely in the
// long line. Returns where each plant starts.
std::string Synthetic(size_t size, uint32_t seed, std::vector<size_t>* planted) {
  std::mt19937 rng(seed);
  const std::vector<std::string> plants = Plants();
  std::vector<const CorpusDoc*> utf8_docs;
  for (const CorpusDoc& d : Corpus()) {
    if (d.encoding == "UTF-8") utf8_docs.push_back(&d);
  }
  std::string s;
  size_t next_anchor = 65536;
  bool long_line_done = false;
  while (s.size() < size) {
    // Up to the next 64 KiB multiple, give or take a few bytes.
    size_t anchor = next_anchor + (rng() % 41) - 20;
    while (s.size() + 2000 < anchor) {
      switch (rng() % 4) {
        case 0: s += utf8_docs[rng() % utf8_docs.size()]->bytes; break;
        case 1: s += AsciiFiller(500 + rng() % 3000, rng); break;
        case 2: s += JapaneseFiller(500 + rng() % 3000, rng); break;
        case 3: s += "\n"; break;
      }
    }
    if (s.size() < anchor) s += AsciiFiller(anchor - s.size(), rng);
    const std::string& p = plants[rng() % plants.size()];
    planted->push_back(s.size());
    s += p;
    next_anchor += 65536;
    if (!long_line_done && s.size() > size / 3) {
      // One 300 KB line: words, no newline, plants every few KB.
      long_line_done = true;
      std::string line;
      while (line.size() < 300000) {
        std::string words = AsciiFiller(1500 + rng() % 6000, rng);
        std::replace(words.begin(), words.end(), '\n', ' ');
        line += words;
        std::string plant = plants[rng() % plants.size()];
        std::replace(plant.begin(), plant.end(), '\n', ' ');
        planted->push_back(s.size() + line.size());
        line += plant;
      }
      s += line;
      next_anchor = (s.size() / 65536 + 1) * 65536;
    }
  }
  return s;
}

// Cuts that fall inside every plant and around 64 KiB multiples.
std::vector<size_t> CutsInside(const std::vector<size_t>& planted, size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<size_t> cuts;
  for (size_t p : planted) cuts.push_back(p + 1 + rng() % 30);
  for (size_t m = 65536; m < n; m += 65536) {
    cuts.push_back(m);
    cuts.push_back(m + 1 + rng() % 3);
  }
  return cuts;
}

TEST(ScannerStreamTest, LargeSyntheticDocumentsHoweverCut) {
  const CompiledPolicy& policy = DefaultPolicy();
  ScanOptions options;
  options.excerpts = Excerpts::kMasked;
  options.max_findings = 5000;
  struct Doc {
    std::string name;
    std::string bytes;
    std::vector<size_t> planted;
  };
  std::vector<Doc> docs;
  {
    Doc d{"UTF-8 3 MB", "", {}};
    d.bytes = Synthetic(3 << 20, 1, &d.planted);
    docs.push_back(std::move(d));
  }
  {
    // Shift_JIS (with NFKC changes: full-width letters and digits, half-width kana).
    Doc d{"Shift_JIS 1.5 MB", "", {}};
    std::mt19937 rng(2);
    const std::string plants[] = {"\n【特定秘密】\n", "\n取扱注意\n", "\nＳＥＣＲＥＴ\n",
                                  " カード番号 ４１１１ １１１１ １１１１ １１１１ ", " ｶﾞｲﾄﾞ 社外秘 ",
                                  " 個人番号 " + MyNumber("12345678901") + " "};
    while (d.bytes.size() < (3 << 19)) {
      d.bytes += Encode("windows-31j", JapaneseFiller(20000 + rng() % 40000, rng) + AsciiFiller(rng() % 3000, rng));
      d.planted.push_back(d.bytes.size());
      d.bytes += Encode("windows-31j", plants[rng() % std::size(plants)]);
    }
    docs.push_back(std::move(d));
  }
  {
    Doc d{"UTF-16LE 1 MB", "\xFF\xFE", {}};
    std::vector<size_t> planted;
    std::string utf8 = Synthetic(600000, 3, &planted);
    d.bytes += Encode("UTF-16LE", utf8);
    // Where the plants are in UTF-16: two bytes a unit, after the BOM.
    size_t units = 0, i = 0;
    for (size_t p : planted) {
      for (; i < p; ++i) {
        auto b = static_cast<unsigned char>(utf8[i]);
        units += (b & 0xC0) == 0x80 ? 0 : (b >= 0xF0 ? 2 : 1);
      }
      d.planted.push_back(2 + 2 * units);
    }
    docs.push_back(std::move(d));
  }
  {
    // A CSV whose header labels a column of My Numbers far below it.
    Doc d{"CSV 1 MB", "氏名,個人番号,メモ\n", {}};
    std::mt19937 rng(4);
    for (int row = 0; d.bytes.size() < (1 << 20); ++row) {
      std::string digits = std::to_string(10000000000ull + rng() % 89999999999ull);
      d.bytes += "山田 太郎," + (row % 50 == 0 ? MyNumber(digits) : std::string("-")) + "," +
                 AsciiFiller(20 + rng() % 60, rng) + "\n";
      std::replace(d.bytes.end() - 80, d.bytes.end() - 1, '\n', ' ');
    }
    docs.push_back(std::move(d));
  }
  for (const Doc& d : docs) {
    const size_t n = d.bytes.size();
    std::vector<std::vector<size_t>> cuts = {
        FixedPieces(n, 1 << 20, 12345),                    // 1 MiB pieces, shifted
        RandomPieces(n, 7, 200000),                        // random, with tiny ones
        PiecesCutAt(n, CutsInside(d.planted, n, 8), 9),    // inside plants, at 64 KiB
    };
    ScanResult want;
    ExpectStreamsEqual(policy, d.bytes, options, cuts, d.name, &want);
    EXPECT_GT(want.findings.size(), 10u) << d.name;
    if (::testing::Test::HasFailure()) return;
  }
}

// Every plant of a synthetic document is found where it was put, streamed as
// in one piece.
TEST(ScannerStreamTest, PlantsAreFoundWhereTheyAre) {
  const CompiledPolicy& policy = DefaultPolicy();
  std::vector<size_t> planted;
  std::string doc = Synthetic(1 << 20, 5, &planted);
  ScanOptions options;
  options.max_findings = 100000;
  Scanner scanner;
  ScanResult r = Streamed(scanner, policy, doc, options, RandomPieces(doc.size(), 6, 5000));
  // Each card number of a plant, at its bytes.
  size_t cards = 0;
  for (size_t p : planted) {
    for (std::string_view card : {"4111 1111 1111 1111", "5555 5555 5555 4444"}) {
      size_t at = doc.find(card, p);
      if (at == std::string::npos || at > p + 80) continue;
      bool found = std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
        return policy.spec().rules[f.rule].id == "credit_card" && f.start == at && f.end == at + card.size();
      });
      EXPECT_TRUE(found) << "card at " << at;
      ++cards;
    }
  }
  EXPECT_GT(cards, 3u);
}

// ---------------------------------------------------------------------------
// (c) Memory does not grow with the input

size_t StatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return static_cast<size_t>(std::strtoull(line.c_str() + std::strlen(field), nullptr, 10));
  }
  return 0;
}

TEST(ScannerStreamTest, TwoHundredMegabytesInBoundedMemory) {
  const CompiledPolicy& policy = DefaultPolicy();
  constexpr size_t kTotal = size_t{200} << 20;
  constexpr size_t kBlock = size_t{1} << 20;
  // Reset the peak (Linux: "5" clears VmHWM), so that the peak read after is
  // this test's.
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  const size_t rss_before = StatusKb("VmRSS:");

  // 1 MiB blocks made on the fly: prose (ASCII and Japanese, alternately)
  // with a card number in every 8th block and a marking in every 16th, at
  // known offsets.
  std::mt19937 rng(99);
  const std::string ascii = AsciiFiller(kBlock, rng);
  const std::string japanese = JapaneseFiller(kBlock, rng);
  const std::string card = " card 4111 1111 1111 1111 ";
  const std::string marking = "\n【特定秘密】\n";
  std::vector<size_t> cards, markings;
  Scanner scanner;
  ScanResult r;
  ScanOptions options;
  scanner.Begin(policy, options, &r);
  std::string block;
  for (size_t b = 0; b * kBlock < kTotal; ++b) {
    const std::string& src = b % 2 == 0 ? ascii : japanese;
    block.assign(src, 0, src.rfind('\n', kBlock - 200) + 1);  // whole lines, room for plants
    if (b % 8 == 3) {
      size_t at = block.find('\n', 1000 + (b * 7919) % 500000) + 1;
      block.insert(at, card);
      cards.push_back(b * kBlock + at + 6);  // the digits, after " card "
    }
    if (b % 16 == 5) {
      size_t at = block.find('\n', 600000) + 1;
      block.insert(at, marking);
      markings.push_back(b * kBlock + at + 4);  // 特定秘密, after "\n【"
    }
    ASSERT_LE(block.size(), kBlock);
    block.append(kBlock - block.size(), ' ');
    ASSERT_TRUE(scanner.Write(block).ok());
  }
  ASSERT_TRUE(scanner.Finish().ok());
  const size_t hwm_after = StatusKb("VmHWM:");

  EXPECT_EQ(r.input_bytes, kTotal);
  std::vector<size_t> found_cards, found_markings;
  for (const Finding& f : r.findings) {
    const std::string& id = policy.spec().rules[f.rule].id;
    if (id == "credit_card") found_cards.push_back(f.start);
    if (id == "jp_designated_secret_marking") found_markings.push_back(f.start);
  }
  EXPECT_EQ(found_cards, cards);
  EXPECT_EQ(found_markings, markings);
  EXPECT_EQ(policy.spec().tiers[r.tier].id, "designated_secret");

#ifndef KIMITSU_TEST_SANITIZED
  ASSERT_GT(rss_before, 0u);
  const size_t growth_mb = hwm_after > rss_before ? (hwm_after - rss_before) / 1024 : 0;
  EXPECT_LT(growth_mb, 150u) << "peak RSS grew by " << growth_mb << " MB while streaming 200 MB";
  RecordProperty("peak_rss_growth_mb", static_cast<int>(growth_mb));
#else
  (void)hwm_after;
  (void)rss_before;
#endif
}

// A caller may write a large input in one piece: the scanner still works
// through it in bounded parts, so that neither memory nor time grows with the
// piece (once, the stream's window held the whole piece's text, and each
// 64 KiB chunk moved all of it: a 64 MB write took 10 s instead of 0.7).
TEST(ScannerStreamTest, OneLargeWriteInBoundedMemory) {
  const CompiledPolicy& policy = DefaultPolicy();
  std::mt19937 rng(5);
  std::string input;
  input.reserve(size_t{48} << 20);
  std::vector<size_t> cards;
  while (input.size() < (size_t{48} << 20)) {
    input += AsciiFiller(200000, rng);
    input += "\ncard 4111 1111 1111 1111\n";
    cards.push_back(input.size() - 20);
  }
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  const size_t rss_before = StatusKb("VmRSS:");
  Scanner scanner;
  ScanResult r;
  scanner.Begin(policy, {}, &r);
  ASSERT_TRUE(scanner.Write(input).ok());
  ASSERT_TRUE(scanner.Finish().ok());
  const size_t hwm_after = StatusKb("VmHWM:");
  std::vector<size_t> found;
  for (const Finding& f : r.findings) {
    if (policy.spec().rules[f.rule].id == "credit_card") found.push_back(f.start);
  }
  EXPECT_EQ(found, cards);
  ExpectSameResult(policy, OneShot(policy, input, {}), r, "one 48 MB write");
#ifndef KIMITSU_TEST_SANITIZED
  const size_t growth_mb = hwm_after > rss_before ? (hwm_after - rss_before) / 1024 : 0;
  EXPECT_LT(growth_mb, 24u) << "peak RSS grew by " << growth_mb << " MB scanning one 48 MB write";
#else
  (void)hwm_after;
  (void)rss_before;
#endif
}

}  // namespace
}  // namespace kimitsu::match
