// Hostile policies (issue #8): written by people in a hurry, or by someone
// who wants the engine to hang. Catastrophic-backtracking regexes compile
// and run in linear time (RE2; the timing curve is benchmarks/redos_bench.cc,
// here only that they finish and find the right things), a regex whose
// program is huge is a compile error naming the limit and the rule, 100,000
// keywords work, deep YAML and alias bombs are clear errors, and a policy
// that is not UTF-8 is refused with the line and column of the bad byte.
#include <gtest/gtest.h>

#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hostile_util.h"

namespace hostile {
namespace {

constexpr std::string_view kHead =
    "tiers:\n"                          // 1
    "  - {id: high, threshold: 0.5}\n"  // 2
    "  - {id: low}\n"                   // 3
    "default_tier: low\n"               // 4
    "rules:\n";                         // 5

// A rule on line 6 with this regex (single-quoted YAML: ' doubled).
std::string RegexPolicy(std::string_view regex) {
  std::string quoted;
  for (char c : regex) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return std::string(kHead) + "  - {id: evil, tier: high, confidence: 0.9, regex: '" + quoted + "'}\n";
}

::testing::AssertionResult Contains(std::string_view s, std::string_view part) {
  if (s.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << s << "' does not contain '" << part << "'";
}

// ---------------------------------------------------------------------------
// ReDoS classics

struct Redos {
  const char* name;
  const char* regex;
  std::string attack;   // the input that makes a backtracking engine explode
  bool attack_matches;  // whether the regex matches it (RE2's answer, which is the right one)
};

std::vector<Redos> RedosCases() {
  const size_t n = 30000;  // a backtracking engine would need ~2^n steps
  std::string as(n, 'a');
  return {
      {"nested_plus", "(a+)+$", as + "!", false},
      // Rules are case-insensitive unless they say otherwise, and a match
      // is found whole up to 16 KiB past the 4 KiB window it starts in.
      {"nested_plus_ok", "(a+)+$", std::string(12000, 'a'), true},
      {"alternation_star", "(a|aa)*b", as, false},
      {"overlapping_alternation", "(a|a)*c", as, false},
      {"dot_star_repeated", "(.*a){20}", std::string(n, 'x'), false},
      {"dot_star_repeated_ok", "(.*a){20}", std::string(n, 'a'), true},
      {"words_then_end", "^(\\w+\\s?)+$", std::string(n, 'w') + "!", false},
      {"x_plus_x_plus", "(x+x+)+y", std::string(n, 'x'), false},
      {"owasp_name", "^(([a-z])+.)+[A-Z]([a-z])+$", std::string(n, 'a') + "!", false},
      {"owasp_email",
       "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
       std::string(n, 'a') + "!", false},
      {"java_classname", "^(([a-z])+.)+[A-Z]([a-z])+$", std::string(12000, 'a'), true},  // [A-Z] takes 'a'
      {"java_classname_case", "(?-i)^(([a-z])+.)+[A-Z]([a-z])+$", std::string(n, 'a'), false},
      {"counted_nested", "(a{1,20}){1,20}b", as, false},
  };
}

class RedosRegex : public ::testing::TestWithParam<Redos> {};

TEST_P(RedosRegex, CompilesAndScansTheAttackInput) {
  const Redos& c = GetParam();
  Compiled policy = Compile(RegexPolicy(c.regex));
  ASSERT_EQ(policy.status, KIMITSU_OK) << policy.message();
  // The attack input alone, then a megabyte of it in lines: both finish (RE2
  // is linear; the benchmark shows the curve) with RE2's answer.
  ResultPtr r = Scan(policy.policy.get(), c.attack);
  ExpectSane(policy.policy.get(), r.get(), c.attack);
  EXPECT_EQ(kimitsu_result_total_findings(r.get()) > 0, c.attack_matches) << Describe(r.get());
  EXPECT_STREQ(kimitsu_result_tier(r.get()), c.attack_matches ? "high" : "low");
  std::string lines;
  while (lines.size() < Scaled(1 << 20)) lines += c.attack + "\n";
  ResultPtr many = Scan(policy.policy.get(), lines);
  ExpectSane(policy.policy.get(), many.get(), lines);
  // (Whether a '$'-anchored regex matches the lines depends on the last one.)
  if (!c.attack_matches) {
    EXPECT_EQ(kimitsu_result_total_findings(many.get()), 0u);
  }
  // Lines of 30,000 characters are longer than the 16 KiB a match may reach
  // past its window: where a match is still in progress there, the result
  // says so (LONG_MATCH with INCOMPLETE), and for no other reason.
  unsigned flags = kimitsu_result_flags(many.get());
  if (flags & KIMITSU_RESULT_INCOMPLETE) {
    EXPECT_NE(flags & KIMITSU_RESULT_LONG_MATCH, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Hostile, RedosRegex, ::testing::ValuesIn(RedosCases()),
                         [](const ::testing::TestParamInfo<Redos>& i) { return std::string(i.param.name); });

// ---------------------------------------------------------------------------
// Regexes that compile to huge programs

TEST(HugeProgram, CountedRepetitionOfAWideClassNamesTheBudgetAndTheRule) {
  // \pL is hundreds of byte ranges in UTF-8; a thousand of them is a program
  // far beyond the rule budget.
  Compiled c = Compile(RegexPolicy("\\pL{1000}"));
  ASSERT_EQ(c.status, KIMITSU_E_POLICY);
  EXPECT_EQ(c.rule(), "evil");
  EXPECT_EQ(c.line(), 6);
  EXPECT_TRUE(Contains(c.message(), "pattern too large for the memory budget (rule_max_mem")) << c.message();
}

TEST(HugeProgram, NestedCountedRepetitionIsRefused) {
  // RE2 refuses repetition counts whose product passes 1000 before building anything.
  for (const char* regex : {"(a{1000}){1000}", "((a{100}){100}){100}", "((((a{30}){30}){30}){30})"}) {
    Compiled c = Compile(RegexPolicy(regex));
    ASSERT_EQ(c.status, KIMITSU_E_POLICY) << regex;
    EXPECT_EQ(c.rule(), "evil");
    EXPECT_TRUE(Contains(c.message(), "bad regex: invalid repetition size")) << c.message();
  }
}

TEST(HugeProgram, RegexPastThePatternSizeLimit) {
  std::string regex = "(?:";
  while (regex.size() <= (1 << 20)) regex += "abcdefgh|";
  regex += "z)";
  Compiled c = Compile(RegexPolicy(regex));
  ASSERT_EQ(c.status, KIMITSU_E_POLICY);
  EXPECT_EQ(c.rule(), "evil");
  EXPECT_TRUE(Contains(c.message(), "exceeds the limit of 1048576")) << c.message();
}

TEST(HugeProgram, ManyLargeRulesHitTheCompiledSizeLimit) {
  std::string policy(kHead);
  for (int i = 0; i < 40; ++i) {
    policy += "  - {id: r" + std::to_string(i) + ", tier: high, confidence: 0.9, regex: '[a-z]{1,300}x" +
              std::to_string(i) + "[0-9]{1,300}'}\n";
  }
  kimitsu_policy_options o = KIMITSU_POLICY_OPTIONS_INIT;
  o.max_compiled_bytes = 1 << 20;
  Compiled c = Compile(policy, &o);
  ASSERT_EQ(c.status, KIMITSU_E_POLICY);
  EXPECT_TRUE(Contains(c.message(), "past the limit of 1048576 (max_compiled_bytes)")) << c.message();
  EXPECT_FALSE(c.rule().empty());
  EXPECT_GT(c.line(), 6);  // not the first rule: the total crossed the limit further on
}

// ---------------------------------------------------------------------------
// 100,000 keywords

// Distinct lower-case words of 6 to 12 letters, the same on every run.
std::vector<std::string> Words(size_t n) {
  std::vector<std::string> words;
  uint32_t x = 88172645u;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  while (words.size() < n) {
    // 'q', four letters that number the word (so all differ), then up to
    // three random ones: 5 to 8 letters, never a word of the clean text below.
    std::string w = "q";
    for (size_t k = words.size(), d = 0; d < 4; ++d, k /= 26) w += static_cast<char>('a' + k % 26);
    for (size_t extra = next() % 4; extra > 0; --extra) w += static_cast<char>('a' + next() % 26);
    words.push_back(std::move(w));
  }
  return words;
}

std::string KeywordPolicy(const std::vector<std::string>& words) {
  std::string policy(kHead);
  policy += "  - id: many\n    tier: high\n    confidence: 0.9\n    keywords: [";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) policy += ", ";
    policy += words[i];
  }
  policy += "]\n";
  return policy;
}

TEST(ManyKeywords, HundredThousandKeywords) {
  const std::vector<std::string> words = Words(100000);
  const std::string policy = KeywordPolicy(words);
  // With the default budgets the alternation does not fit: a clear error
  // naming the budget and the rule, not a hang or a crash.
  Compiled tight = Compile(policy);
  ASSERT_EQ(tight.status, KIMITSU_E_POLICY);
  EXPECT_EQ(tight.rule(), "many");
  EXPECT_TRUE(Contains(tight.message(), "rule_max_mem")) << tight.message();
  // With budgets raised for it (kimitsu_policy_options), it compiles and works.
  kimitsu_policy_options o = KIMITSU_POLICY_OPTIONS_INIT;
  o.rule_max_mem = 32 << 20;
  o.prefilter_max_mem = 128 << 20;
  Compiled c = Compile(policy, &o);
  ASSERT_EQ(c.status, KIMITSU_OK) << c.message();
  std::string doc;
  std::vector<size_t> starts;
  for (size_t i = 0; i < words.size(); i += 997) {
    doc += "the filler text goes on and on here, ";
    starts.push_back(doc.size());
    doc += words[i] + " and more.\n";
  }
  kimitsu_scan_options so = KIMITSU_SCAN_OPTIONS_INIT;
  so.max_findings = 100000;
  ResultPtr r = Scan(c.policy.get(), doc, &so);
  ExpectSane(c.policy.get(), r.get(), doc);
  ASSERT_EQ(kimitsu_result_finding_count(r.get()), starts.size()) << Describe(r.get());
  for (size_t i = 0; i < starts.size(); ++i) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    ASSERT_EQ(kimitsu_result_finding(r.get(), i, &f), KIMITSU_OK);
    EXPECT_EQ(f.start, starts[i]);
    EXPECT_EQ(doc.substr(f.start, f.end - f.start), words[i * 997]);
  }
  // Clean text finds nothing.
  std::string clean;
  while (clean.size() < 100000) clean += "the filler text goes on and on here.\n";
  ResultPtr none = Scan(c.policy.get(), clean);
  EXPECT_EQ(kimitsu_result_total_findings(none.get()), 0u);
  EXPECT_STREQ(kimitsu_result_tier(none.get()), "low");
}

// ---------------------------------------------------------------------------
// Deep YAML and alias bombs

// Compiles `text` on a thread with a 1 MiB stack (as some embedders give
// their workers): deep nesting must be refused before it can overflow it.
Compiled CompileOnSmallStack(const std::string& text) {
  struct Job {
    const std::string* text;
    Compiled out;
  } job{&text, {}};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    j->out = Compile(*j->text);
    return nullptr;
  };
  EXPECT_EQ(pthread_create(&thread, &attr, run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return std::move(job.out);
}

TEST(DeepYaml, NestingIsAClearErrorNotAStackOverflow) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"flow sequences", std::string(100000, '[')},
      {"flow mappings", std::string(100000, '{')},
      {"mixed flow", [] {
         std::string s;
         for (int i = 0; i < 50000; ++i) s += "{a: [";
         return s;
       }()},
      {"block sequences", [] {
         std::string s;
         for (int i = 0; i < 50000; ++i) s += "- ";
         return s + "x\n";
       }()},
      {"block mappings", [] {
         std::string s;
         for (int i = 0; i < 3000; ++i) s += std::string(static_cast<size_t>(i), ' ') + "a:\n";
         return s;
       }()},
      {"inside a rule", std::string(kHead) + "  - {id: deep, tier: high, confidence: 0.9, keywords: " +
                            std::string(100000, '[') + "}\n"},
  };
  for (const auto& [name, text] : cases) {
    Compiled c = CompileOnSmallStack(text);
    ASSERT_EQ(c.status, KIMITSU_E_POLICY) << name;
    EXPECT_FALSE(c.message().empty()) << name;
    EXPECT_FALSE(Contains(c.message(), "bad file")) << name << ": " << c.message();
  }
  Compiled deep = CompileOnSmallStack(std::string(100000, '['));
  EXPECT_TRUE(Contains(deep.message(), "the YAML nests too deeply")) << deep.message();
  EXPECT_EQ(deep.line(), 1);
}

TEST(DeepYaml, BillionLaughsIsRefusedWithoutExpansion) {
  // Nine levels of ten aliases each: 10^9 "lol"s if anything expanded it.
  std::string bomb = "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    bomb += "lol" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", " : "") + prev;
    bomb += "]\n";
  }
  // At the top (unknown keys), as a rule's keywords (not strings), and as
  // its description (not a string).
  const std::vector<std::string> cases = {
      bomb + std::string(kHead) + "  - {id: r, tier: high, confidence: 0.9, keywords: [x]}\n",
      "x-bomb:\n" + [&] {
        std::string indented;
        for (size_t i = 0, j; i < bomb.size(); i = j + 1) {
          j = bomb.find('\n', i);
          indented += "  " + bomb.substr(i, j - i + 1);
        }
        return indented;
      }(),
      std::string(kHead) + "  - {id: r, tier: high, confidence: 0.9, keywords: &k [a, b]}\n" +
          "  - {id: s, tier: high, confidence: 0.9, keywords: [*k, *k]}\n",
  };
  for (const std::string& text : cases) {
    Compiled c = Compile(text);
    ASSERT_EQ(c.status, KIMITSU_E_POLICY) << text.substr(0, 80);
    EXPECT_FALSE(c.message().empty());
  }
  // The bomb where a policy has lists, its rules' keywords: rule r0 holds ten
  // strings, r1 ten aliases of r0's list, r2 ten of r1's, ... Refused at r1,
  // whose keywords are lists, not strings: nothing is expanded.
  std::string as_keywords(kHead);
  as_keywords += "  - {id: r0, tier: high, confidence: 0.9, keywords: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n";
  for (int i = 1; i <= 9; ++i) {
    as_keywords += "  - {id: r" + std::to_string(i) + ", tier: high, confidence: 0.9, keywords: &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) as_keywords += (k ? ", *l" : "*l") + std::to_string(i - 1);
    as_keywords += "]}\n";
  }
  Compiled k = Compile(as_keywords);
  ASSERT_EQ(k.status, KIMITSU_E_POLICY);
  EXPECT_EQ(k.rule(), "r1");
  EXPECT_TRUE(Contains(k.message(), "must be a string")) << k.message();
}

TEST(DeepYaml, AliasesThatMultiplyKeywordsHitTheTotalLimit) {
  // One list of 200,000 keywords, reused by alias in 100 rules: 20 million
  // keywords from a 2 MB policy. The total limit stops it at the third rule.
  std::string policy(kHead);
  policy += "  - id: r0\n    tier: high\n    confidence: 0.9\n    keywords: &big [";
  for (int i = 0; i < 200000; ++i) policy += (i ? ",w" : "w") + std::to_string(i);
  policy += "]\n";
  for (int r = 1; r < 100; ++r) {
    policy += "  - {id: r" + std::to_string(r) + ", tier: high, confidence: 0.9, keywords: *big}\n";
  }
  Compiled c = Compile(policy);
  ASSERT_EQ(c.status, KIMITSU_E_POLICY);
  EXPECT_EQ(c.rule(), "r2");
  EXPECT_TRUE(Contains(c.message(), "the policy's keywords exceed the limit of 500000")) << c.message();
}

// ---------------------------------------------------------------------------
// Policy text that is not UTF-8

TEST(NonUtf8Policy, ErrorSaysWhere) {
  const std::string good = std::string(kHead) + "  - {id: r, tier: high, confidence: 0.9, keywords: [abc]}\n";
  struct Case {
    const char* name;
    std::string text;
    size_t bad;  // offset of the first byte that is not UTF-8 (after ASCII on its line)
  };
  std::vector<Case> cases;
  {
    std::string sjis = good;  // 極秘 in Shift_JIS as a keyword
    size_t at = sjis.find("abc");
    sjis.insert(at, "\x8B\xC9\x94\xE9, ");
    cases.push_back({"shift_jis", sjis, at});
  }
  {
    std::string latin1 = good;  // é in ISO-8859-1 inside a word
    size_t at = latin1.find("abc") + 1;
    latin1.insert(at, "\xE9");
    cases.push_back({"latin1", latin1, at});
  }
  {
    std::string utf16 = "\xFF\xFE";  // the whole policy in UTF-16
    for (char ch : good) {
      utf16 += ch;
      utf16 += '\0';
    }
    cases.push_back({"utf16", utf16, 0});
  }
  {
    std::string overlong = std::string(kHead) + "# \xC0\xAF\n";  // even in a comment
    cases.push_back({"overlong", overlong, overlong.size() - 3});
  }
  {
    std::string late(kHead);  // deep in a large policy: the line number is still exact
    for (int i = 0; i < 5000; ++i) {
      late += "  - {id: r" + std::to_string(i) + ", tier: high, confidence: 0.9, keywords: [w" + std::to_string(i) +
              "]}\n";
    }
    late += "  - {id: bad, tier: high, confidence: 0.9, keywords: [";
    size_t at = late.size();
    late += "\xC3\x28]}\n";
    cases.push_back({"late", late, at});
  }
  for (const Case& c : cases) {
    Compiled r = Compile(c.text);
    ASSERT_EQ(r.status, KIMITSU_E_POLICY) << c.name;
    EXPECT_TRUE(Contains(r.message(), "not valid UTF-8")) << c.name << ": " << r.message();
    const size_t line_start = c.text.rfind('\n', c.bad == 0 ? 0 : c.bad - 1);
    const size_t column = c.bad - (line_start == std::string::npos || c.bad == 0 ? 0 : line_start + 1) + 1;
    const int line = 1 + static_cast<int>(std::count(c.text.begin(), c.text.begin() + c.bad, '\n'));
    EXPECT_EQ(r.line(), line) << c.name;
    EXPECT_EQ(r.column(), static_cast<int>(column)) << c.name;
  }
}

}  // namespace
}  // namespace hostile
