#include "match/candidate_dfa.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <atomic>
#include <random>
#include <thread>
#include <string>
#include <vector>

namespace kimitsu::match {
namespace {

constexpr size_t kNone = std::string_view::npos;

struct Rule {
  std::string pattern;
  bool case_sensitive = true;
};

std::unique_ptr<CandidateDfa> Build(const std::vector<Rule>& rules, size_t max_states = CandidateDfa::kMaxStates,
                                    size_t max_nfa_states = CandidateDfa::kMaxNfaStates) {
  std::vector<CandidateDfa::Pattern> patterns;
  for (const Rule& r : rules) patterns.push_back({r.pattern, r.case_sensitive});
  return CandidateDfa::Build(patterns, max_states, max_nfa_states);
}

// One RE2 of every rule as alternatives: where the first match of any starts.
std::unique_ptr<RE2> Union(const std::vector<Rule>& rules) {
  std::string all;
  for (const Rule& r : rules) {
    all += all.empty() ? "" : "|";
    all += r.case_sensitive ? "(?:" + r.pattern + ")" : "(?i:" + r.pattern + ")";
  }
  auto re = std::make_unique<RE2>(all);
  EXPECT_TRUE(re->ok()) << re->error();
  return re;
}

// Where RE2's leftmost search of `re` over text[0, end) from `from` finds a
// match, or npos.
size_t FirstMatch(const RE2& re, std::string_view text, size_t from, size_t end) {
  re2::StringPiece whole(text.data(), end), m;
  if (!re.Match(whole, from, end, RE2::UNANCHORED, &m, 1)) return kNone;
  return static_cast<size_t>(m.data() - text.data());
}

size_t Next(const CandidateDfa& dfa, std::string_view text, CandidateDfa::Scratch& cache, size_t from = 0) {
  return dfa.Next(text, from, text.size(), cache);
}

TEST(CandidateDfa, FindsWhereAMatchStarts) {
  auto dfa = Build({{"K[0-9]{4}"}, {"secret", false}, {"秘密"}, {"[a-z]+@[a-z]+\\.com"}});
  ASSERT_NE(dfa, nullptr);
  CandidateDfa::Scratch cache;
  EXPECT_EQ(Next(*dfa, "aaa bbb K1234 ccc", cache), 8u);
  EXPECT_EQ(Next(*dfa, "TOP SECRET", cache), 4u);
  EXPECT_EQ(Next(*dfa, "これは秘密です", cache), 9u);
  // Back from the end of the match over what can begin one: to "alice",
  // not past the space before it.
  EXPECT_EQ(Next(*dfa, "contact: alice@example.com", cache), 9u);
  EXPECT_EQ(Next(*dfa, "K123 K12a sec-ret 秘 密", cache), kNone);
  // From `from` on only.
  EXPECT_EQ(Next(*dfa, "K1234 K5678", cache, 1), 6u);
}

TEST(CandidateDfa, ReadsCaseClassesAndTheDotAsRe2Does) {
  CandidateDfa::Scratch cache;
  auto sensitive = Build({{"SECRET"}});
  EXPECT_EQ(Next(*sensitive, "secret Secret", cache), kNone);
  auto dot = Build({{"a.b"}});
  EXPECT_EQ(Next(*dot, "a\nb", cache), kNone);
  EXPECT_EQ(Next(*dot, "a秘b", cache), 0u);
  auto dot_nl = Build({{"(?s)a.b"}});
  EXPECT_EQ(Next(*dot_nl, "a\nb", cache), 0u);
  auto negated = Build({{"x[^a-z]y"}});
  EXPECT_EQ(Next(*negated, "xay xby", cache), kNone);
  EXPECT_EQ(Next(*negated, "xay x-y", cache), 4u);
  EXPECT_EQ(Next(*negated, "xay x秘y", cache), 4u);
  auto inline_fold = Build({{"a(?i)bc"}});
  EXPECT_EQ(Next(*inline_fold, "ABC aBC", cache), 4u);
  auto perl = Build({{"\\d\\s\\w\\W"}});
  EXPECT_EQ(Next(*perl, "1 a- 2 b_", cache), 0u);
  EXPECT_EQ(Next(*perl, "1\tab 2 b_", cache), kNone);
  // Braces RE2 reads as literals.
  auto braces = Build({{"a{01}|b{9999999999}|c{2,01}"}});
  EXPECT_EQ(Next(*braces, "aa bb a{01}", cache), 6u);
  EXPECT_EQ(Next(*braces, "b{9999999999}", cache), 0u);
  EXPECT_EQ(Next(*braces, "cc c{2,01}", cache), 3u);
  auto quoted = Build({{"\\Qa.b\\E"}});
  EXPECT_EQ(Next(*quoted, "axb a.b", cache), 4u);
  // A letter past ASCII with other cases may be any of them: any character.
  auto greek = Build({{"σ"}}, CandidateDfa::kMaxStates);
  auto greek_fold = Build({{"σ", false}});
  EXPECT_EQ(Next(*greek, "Σ", cache), kNone);
  EXPECT_EQ(Next(*greek_fold, "Σ", cache), 0u);
}

TEST(CandidateDfa, AssertionsAreTakenAsTrue) {
  // \b, ^ and $ hold where RE2 says they do and elsewhere too: a candidate
  // may be no match, never the other way round.
  auto dfa = Build({{"\\bkey\\b"}, {"(?m)^id$"}});
  CandidateDfa::Scratch cache;
  EXPECT_EQ(Next(*dfa, "monkeys", cache), 3u);
  EXPECT_EQ(Next(*dfa, "xidx", cache), 1u);
}

TEST(CandidateDfa, RefusesWhatItCannotUse) {
  EXPECT_EQ(Build({{"x*"}}), nullptr);        // every place would be a candidate
  EXPECT_EQ(Build({{"a|\\b"}}), nullptr);     // the same, once \b holds everywhere
  // Too many NFA states: 64 × "ab" is some 400.
  EXPECT_EQ(Build({{"(?:(?:ab){8}){8}"}}, CandidateDfa::kMaxStates, 300), nullptr);
  EXPECT_NE(Build({{"(?:(?:ab){8}){8}"}}, CandidateDfa::kMaxStates, 1000), nullptr);
  EXPECT_EQ(Build({}), nullptr);
}

// The policy patterns' kinds of syntax, over text of every kind of
// character they read.
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = {
      {"\\b(\\d{4}[ -]?\\d{4}[ -]?\\d{4})\\b"},
      {"\\b[A-Za-z0-9._%+-]{1,}@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b"},
      {"(?:TOP SECRET|SECRET)//(?:[A-Z0-9][A-Z0-9 ,/-]*)"},
      {"date[\\s_-]+of[\\s_-]+birth|gender|key[\\s_-]+accounts", false},
      {"秘密(?:区分|等級)[\\s|:=]*[「【\\[(]?\\s*(秘|極秘)"},
      {"(?:都|道|府|県|市|区)[^\\s,、。]{0,12}?\\d{1,4}(?:丁目|-)\\d{1,4}"},
      {"(?m)^\\s*(?:interface (?:Vlan|ge-)\\S*|router (?:ospf|bgp)\\b)"},
      {"(?:(?m:^)|[^A-Za-z0-9_.$-])(?:pass|pwd|key)[A-Za-z0-9_.-]{0,}\\s*[:=]\\s*([^\\s\"']{6,})"},
      {"aws.{0,20}secret.{0,20}?['\"=:\\s]+([A-Za-z0-9/+=]{40})\\b", false},
      {"\\((?:TS|S)(?://[A-Z0-9][A-Z0-9 ,/-]*)?\\)"},
      {"x{3,}y|\\pN{2}z|[[:upper:]]Q|\\x41\\x{42}Q"},
      {"(?i)σ+ς|é{2}"},
  };
  return rules;
}

std::string RandomText(std::mt19937& rng, size_t length) {
  static const std::vector<std::string> pieces = {
      "a", "b", "e", "k", "s", "x", "y", "z", "A", "K", "Q", "S", "T", "P", "E", "C", "R", "O", "0", "1",
      "4", "9", " ", " ", "\n", "\t", "-", "_", ".", "@", ":", "=", "/", "(", ")", "'", "\"", "|", "「",
      "秘", "密", "区分", "都", "丁目", "、", "é", "É", "σ", "Σ", "ς", "key", "pass", "aws", "secret",
      "SECRET", "TOP ", "//", "gender", "date of birth", "Vlan", "interface ", "router ospf", "1234 5678 ",
      "user@example.com", "x.y", "AAAAAAAAAAAAAAAAAAAA"};
  std::string text;
  while (text.size() < length) text += pieces[rng() % pieces.size()];
  return text;
}

// What Next() promises, checked against RE2 from many places in `text`: no
// match starts between `from` and the candidate, which is npos only where
// no match lies between `from` and `end`.
void CheckAgainstRe2(const CandidateDfa& dfa, const RE2& re, std::string_view text, CandidateDfa::Scratch& cache,
                     std::mt19937& rng, int places, size_t* exact) {
  for (int i = 0; i < places; ++i) {
    const size_t from = rng() % (text.size() + 1);
    const size_t end = rng() % 4 == 0 ? text.size() : from + rng() % (text.size() - from + 1);
    const size_t candidate = dfa.Next(text, from, end, cache);
    const size_t first = FirstMatch(re, text, from, end);
    ASSERT_TRUE(candidate == kNone || (candidate >= from && candidate <= end)) << from << " " << end;
    ASSERT_LE(candidate, first) << "a match at " << first << " before the candidate " << candidate << " (from "
                                << from << ", end " << end << ")";
    if (candidate == first) ++*exact;
  }
}

TEST(CandidateDfa, NoMatchStartsBeforeTheCandidate) {
  std::mt19937 rng(20261127);
  CandidateDfa::Scratch cache;
  size_t exact = 0, checks = 0;
  // Each rule alone, and all of them in one (short texts and texts long
  // enough to be read in lanes).
  std::vector<std::vector<Rule>> sets;
  for (const Rule& r : Rules()) sets.push_back({r});
  sets.push_back(Rules());
  for (const auto& rules : sets) {
    auto dfa = Build(rules);
    ASSERT_NE(dfa, nullptr) << rules[0].pattern;
    auto re = Union(rules);
    for (size_t length : {50, 2000, 40000}) {
      std::string text = RandomText(rng, length);
      CheckAgainstRe2(*dfa, *re, text, cache, rng, length > 10000 ? 40 : 100, &exact);
      checks += length > 10000 ? 40 : 100;
    }
  }
  // Not merely "from" every time: most candidates are where RE2's match is.
  EXPECT_GT(exact, checks / 2);
}

TEST(CandidateDfa, LanesFindWhatOneReadingFinds) {
  // One match in 200 KB of words: wherever it is, at or near a lane's
  // start or end, it is the candidate, and nothing is before it.
  auto dfa = Build(Rules());
  CandidateDfa::Scratch cache;
  std::string words;
  const char* w[] = {"lorem ", "ipsum ", "dolor\n", "sit ", "amet, ", "key ", "user.name "};
  for (size_t i = 0; words.size() < 200000; ++i) words += w[i % 7];
  const std::string match = "1234-5678-9012";
  for (size_t at : {size_t{0}, size_t{255}, size_t{256}, size_t{257}, size_t{256 + 4096 - 3}, size_t{256 + 4096 * 2},
                    size_t{256 + 4096 * 4 - 1}, size_t{256 + 4096 * 4 + 5}, size_t{100000}, size_t{199000}}) {
    std::string text = words;
    text.insert(at, " " + match + " ");
    EXPECT_EQ(Next(*dfa, text, cache), at + 1) << at;
    EXPECT_EQ(Next(*dfa, text, cache, at + 2), kNone) << at;
  }
}

TEST(CandidateDfa, StatesBuiltAgainWhenTheCacheIsFull) {
  std::mt19937 rng(7);
  auto dfa = Build(Rules(), /*max_states=*/8);
  ASSERT_NE(dfa, nullptr);
  auto re = Union(Rules());
  CandidateDfa::Scratch cache;
  size_t exact = 0;
  std::string text = RandomText(rng, 30000);
  CheckAgainstRe2(*dfa, *re, text, cache, rng, 200, &exact);
  EXPECT_GT(dfa->resets(), 0u);
  EXPECT_LE(dfa->forward_states(), 8u);
}

TEST(CandidateDfa, AScratchServesAnyDfa) {
  std::mt19937 rng(11);
  CandidateDfa::Scratch cache;
  auto digits = Build({{"[0-9]{3}"}});
  auto letters = Build({{"[a-z]{3}"}});
  const std::string text = "ab 12 abc 123";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Next(*digits, text, cache), 10u);
    EXPECT_EQ(Next(*letters, text, cache), 6u);
  }
  digits.reset();
  auto again = Build({{"b"}});
  EXPECT_EQ(Next(*again, text, cache), 1u);
}

TEST(CandidateDfa, ThreadsShareTheStates) {
  // Four threads, one DFA whose tables fill and start again under them.
  for (size_t max_states : {size_t{16}, CandidateDfa::kMaxStates}) {
    auto dfa = Build(Rules(), max_states);
    auto re = Union(Rules());
    std::vector<std::thread> threads;
    std::atomic<size_t> exact{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        std::mt19937 rng(100 + t);
        CandidateDfa::Scratch scratch;
        size_t mine = 0;
        for (int round = 0; round < 3; ++round) {
          std::string text = RandomText(rng, 8000);
          CheckAgainstRe2(*dfa, *re, text, scratch, rng, 60, &mine);
        }
        exact += mine;
      });
    }
    for (auto& t : threads) t.join();
    if (max_states == 16) {
      EXPECT_GT(dfa->resets(), 0u);
    } else {
      EXPECT_GT(exact.load(), 100u);
    }
  }
}

// Random patterns of every construct RE2 reads, random texts of the
// characters they name (and ones that fold to them): the candidate is never
// after RE2's first match.
class PatternMaker {
 public:
  explicit PatternMaker(std::mt19937& rng) : rng_(rng) {}

  std::string Pattern(int depth = 0) {
    std::string s = Sequence(depth);
    while (depth < 2 && Chance(4)) s += "|" + Sequence(depth);
    return s;
  }

 private:
  bool Chance(int one_in) { return rng_() % one_in == 0; }
  const char* Pick(const std::vector<const char*>& v) { return v[rng_() % v.size()]; }

  std::string Sequence(int depth) {
    std::string s;
    const int n = 1 + static_cast<int>(rng_() % 4);
    for (int i = 0; i < n; ++i) s += Repeated(depth);
    return s;
  }

  std::string Repeated(int depth) {
    std::string a = Atom(depth);
    if (Chance(3)) {
      a += Pick({"*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "{10}", "{3,12}", "{0,40}"});
      if (Chance(4)) a += "?";
    }
    return a;
  }

  std::string Atom(int depth) {
    switch (rng_() % 9) {
      case 0:
      case 1:
        return Pick({"a", "b", "k", "s", "K", "S", "x", "0", "7", " ", "-", "_", "\\.", "\\(", "@", "/", ":"});
      case 2:
        return Pick({"秘", "密", "é", "É", "σ", "Σ", "ß", "\xe2\x84\xaa", "\xc5\xbf", "ｱ"});
      case 3:
        return Pick({".", "\\d", "\\s", "\\w", "\\D", "\\S", "\\W", "\\pL", "\\p{Han}", "\\PN",
                     "\\x41", "\\x{3042}", "\\n", "\\t", "\\Qa.b\\E", "\\C", "[[:alpha:]]"});
      case 4:
        return Class();
      case 5:
        return Pick({"\\b", "\\B", "^", "$", "\\A", "\\z", "(?m:^)", "(?m:$)"});
      default:
        if (depth >= 2) return "a";
        return std::string(Pick({"(?:", "(", "(?i:", "(?-i:", "(?s:", "(?m:", "(?P<n>", "(?i)(?:"})) +
               Pattern(depth + 1) + ")";
    }
  }

  std::string Class() {
    std::string c = Chance(3) ? "[^" : "[";
    const int n = 1 + static_cast<int>(rng_() % 3);
    for (int i = 0; i < n; ++i) {
      c += Pick({"a-c", "x", "K", "0-9", "\\d", "\\s", "\\w", "\\W", "\\S", "_", "\\-", "\\]", ".",
                 "秘", "ぁ-ん", "é", "σ", "[:upper:]", "[:^digit:]", "\\pN", "\\x{41}-\\x{5a}", "\\n", " "});
    }
    return c + "]";
  }

  std::mt19937& rng_;
};

std::string TextOf(std::mt19937& rng, size_t length) {
  static const std::vector<std::string> pieces = {
      "a", "b", "c", "k", "s", "x", "A", "B", "K", "S", "X", "0", "7", "9", " ", " ", "\n", "\t", "-", "_",
      ".", "(", ")", "@", "/", ":", "]", "秘", "密", "é", "É", "σ", "Σ", "ς", "ß", "ẞ", "あ", "ア", "ｱ", "Ａ",
      "\xe2\x84\xaa", "\xc5\xbf", "a.b", "aaa", "abc", "ksks", "KSKS", "x x", "\n\n"};
  std::string text;
  while (text.size() < length) text += pieces[rng() % pieces.size()];
  return text;
}

TEST(CandidateDfa, RandomPatternsNeverHaveAMatchBeforeTheCandidate) {
  std::mt19937 rng(424242);
  PatternMaker maker(rng);
  CandidateDfa::Scratch cache;
  int built = 0, tried = 0;
  size_t exact = 0;
  for (int i = 0; i < 1500; ++i) {
    const std::string pattern = maker.Pattern();
    const bool case_sensitive = rng() % 2 == 0;
    RE2::Options o;
    o.set_case_sensitive(case_sensitive);
    o.set_log_errors(false);
    RE2 re(pattern, o);
    if (!re.ok()) continue;
    ++tried;
    auto dfa = Build({{pattern, case_sensitive}});
    if (dfa == nullptr) continue;  // the approximation matches the empty string
    ++built;
    const std::string text = TextOf(rng, rng() % 3 == 0 ? 3000 : 200);
    for (int k = 0; k < 20; ++k) {
      const size_t from = rng() % (text.size() + 1);
      const size_t end = rng() % 3 == 0 ? text.size() : from + rng() % (text.size() - from + 1);
      const size_t candidate = dfa->Next(text, from, end, cache);
      const size_t first = FirstMatch(re, text, from, end);
      ASSERT_LE(candidate, first) << "pattern " << pattern << (case_sensitive ? "" : " (?i)") << " from " << from
                                  << " end " << end << " text " << text.substr(from, 80);
      if (candidate == first && first != kNone) ++exact;
    }
  }
  // Most patterns are read, and the test sees matches.
  EXPECT_GT(built, tried / 2);
  EXPECT_GT(exact, 500u);
}

}  // namespace
}  // namespace kimitsu::match
