// Concurrency stress (issue #8): 2 x cores threads share one compiled policy
// and scan a mix of documents — the labelled corpus, generated ones, damaged
// and binary ones — one-shot, with their own scanners and as streams cut at
// random, each comparing every result with the single-threaded one. Runs for
// KIMITSU_STRESS_SECONDS (default 3, the CI form; e.g. 60 by hand). Part of
// the ThreadSanitizer step of scripts/test. Public header and library only.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "capi/capi_handles.h"
#include "kimitsu/kimitsu.h"

namespace {

using kimitsu_test::PolicyPtr;

// Everything a result says, including excerpts and evidence.
std::string Describe(const kimitsu_policy* policy, const kimitsu_result* r) {
  std::ostringstream out;
  out << kimitsu_result_tier(r) << " " << kimitsu_result_score(r) << " " << kimitsu_result_encoding(r)
      << " flags=" << kimitsu_result_flags(r) << " bytes=" << kimitsu_result_input_bytes(r)
      << " total=" << kimitsu_result_total_findings(r) << "\n";
  for (size_t i = 0; i < kimitsu_result_finding_count(r); ++i) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    if (kimitsu_result_finding(r, i, &f) != KIMITSU_OK) return "finding error";
    out << f.rule << " " << f.start << "-" << f.end << " " << f.confidence << " " << f.placement << " " << f.line
        << " " << (f.excerpt ? std::string(f.excerpt, f.excerpt_len) : "-") << "\n";
  }
  for (size_t i = 0; i < kimitsu_policy_rule_count(policy); ++i) {
    uint64_t count = 0;
    double score = 0;
    if (kimitsu_result_rule(r, i, &count, &score) != KIMITSU_OK) return "rule error";
    if (count) out << i << ":" << count << "/" << score << " ";
  }
  return out.str();
}

uint32_t Next(uint32_t& x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

std::vector<std::string> Documents() {
  std::vector<std::string> docs;
#ifdef KIMITSU_SOURCE_DIR
  for (const char* lang : {"en", "ja"}) {
    const std::filesystem::path dir = std::filesystem::path(KIMITSU_SOURCE_DIR) / "tests" / "corpus" / lang;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      docs.push_back(text.str());
    }
  }
#endif
  EXPECT_GE(docs.size(), 50u) << "the labelled corpus";
  // Generated: many findings (past the cap), a large mixed document, damaged
  // and binary data, an empty one.
  std::string cards = "Customer cards on file:\n";
  for (int i = 0; i < 3000; ++i) cards += "card 4111 1111 1111 1111 exp 12/29\n";
  docs.push_back(cards);
  std::string big;
  for (size_t i = 0; big.size() < 400000; ++i) big += docs[i % 50];
  docs.push_back(big);
  uint32_t x = 12345;
  std::string noise;
  for (int i = 0; i < 50000; ++i) noise += static_cast<char>(Next(x) & 0xFF);
  docs.push_back(noise);
  std::string damaged = docs[3];
  for (size_t i = 0; i < damaged.size(); i += 97) damaged[i] = static_cast<char>(0x80 | (i & 0x3F));
  docs.push_back(damaged);
  docs.push_back("");
  return docs;
}

TEST(Stress, SharedPolicyManyThreadsSameAnswers) {
  kimitsu_policy* raw = nullptr;
  ASSERT_EQ(kimitsu_policy_default(&raw), KIMITSU_OK);
  PolicyPtr policy(raw);
  const std::vector<std::string> docs = Documents();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;
  options.max_findings = 200;

  std::vector<std::string> expected;
  for (const std::string& d : docs) {
    kimitsu_result* r = nullptr;
    ASSERT_EQ(kimitsu_scan(policy.get(), d.data(), d.size(), &options, &r), KIMITSU_OK);
    expected.push_back(Describe(policy.get(), r));
    kimitsu_result_free(r);
  }

  double seconds = 3;
  if (const char* env = std::getenv("KIMITSU_STRESS_SECONDS")) seconds = std::max(0.1, std::atof(env));
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned n_threads = 2 * cores;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);

  struct Tally {
    uint64_t scans = 0, mismatches = 0, failures = 0;
    std::string first_mismatch;
  };
  std::vector<Tally> tally(n_threads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n_threads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      Tally& me = tally[t];
      uint32_t x = 2654435761u * (t + 1);
      kimitsu_scanner* scanner = nullptr;
      if (kimitsu_scanner_new(&scanner) != KIMITSU_OK) ++me.failures;
      auto check = [&](size_t i, const kimitsu_result* r) {
        std::string got = Describe(policy.get(), r);
        if (got != expected[i]) {
          if (me.mismatches++ == 0) me.first_mismatch = "document " + std::to_string(i) + ":\n" + got;
        }
      };
      while (std::chrono::steady_clock::now() < deadline) {
        const size_t i = Next(x) % docs.size();
        const std::string& d = docs[i];
        switch (Next(x) % 3) {
          case 0: {  // one-shot
            kimitsu_result* r = nullptr;
            if (kimitsu_scan(policy.get(), d.data(), d.size(), &options, &r) != KIMITSU_OK) {
              ++me.failures;
              break;
            }
            check(i, r);
            kimitsu_result_free(r);
            break;
          }
          case 1: {  // this thread's scanner
            const kimitsu_result* r = nullptr;
            if (scanner == nullptr ||
                kimitsu_scanner_scan(scanner, policy.get(), d.data(), d.size(), &options, &r) != KIMITSU_OK) {
              ++me.failures;
              break;
            }
            check(i, r);
            break;
          }
          default: {  // a stream cut at random
            kimitsu_stream* s = nullptr;
            if (kimitsu_stream_open(policy.get(), &options, &s) != KIMITSU_OK) {
              ++me.failures;
              break;
            }
            bool ok = true;
            for (size_t at = 0; at < d.size() && ok;) {
              size_t n = std::min<size_t>(d.size() - at, 1 + Next(x) % (Next(x) % 2 ? 7 : 70000));
              ok = kimitsu_stream_write(s, d.data() + at, n) == KIMITSU_OK;
              at += n;
            }
            kimitsu_result* r = nullptr;
            if (!ok || kimitsu_stream_finish(s, &r) != KIMITSU_OK) {
              ++me.failures;
            } else {
              check(i, r);
            }
            kimitsu_result_free(r);
            kimitsu_stream_free(s);
            break;
          }
        }
        ++me.scans;
      }
      kimitsu_scanner_free(scanner);
    });
  }
  go.store(true);
  for (auto& th : threads) th.join();

  uint64_t scans = 0;
  for (unsigned t = 0; t < n_threads; ++t) {
    EXPECT_EQ(tally[t].failures, 0u) << "thread " << t;
    EXPECT_EQ(tally[t].mismatches, 0u) << "thread " << t << ", first: " << tally[t].first_mismatch;
    EXPECT_GE(tally[t].scans, 1u) << "thread " << t;
    scans += tally[t].scans;
  }
  std::printf("stress: %u threads, %.1f s, %llu scans of %zu documents\n", n_threads, seconds,
              static_cast<unsigned long long>(scans), docs.size());
}

}  // namespace
