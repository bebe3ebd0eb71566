#include "match/secret_validators.h"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace kimitsu::match {
namespace {

constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsAsciiAlpha(char c) { return IsAsciiLower(c) || IsAsciiUpper(c); }
constexpr bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
constexpr char Lower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c + ('a' - 'A')) : c; }
constexpr bool IsBlank(char c) { return c == ' ' || c == '\t'; }
constexpr bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsNoCase(s.substr(0, prefix.size()), prefix);
}

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsNoCase(s.substr(s.size() - suffix.size()), suffix);
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (EqualsNoCase(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

template <size_t N>
bool EqualsAnyNoCase(std::string_view s, const std::string_view (&list)[N]) {
  for (std::string_view w : list) {
    if (EqualsNoCase(s, w)) return true;
  }
  return false;
}

// The longest run of one letter, case folded: "xxxXXX" is 6. Digit runs do
// not count: real ids inside tokens repeat digits (Slack's 511111111).
size_t LongestLetterRun(std::string_view s) {
  size_t best = 0, run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsAsciiAlpha(s[i])) {
      run = 0;
      continue;
    }
    run = (i > 0 && Lower(s[i]) == Lower(s[i - 1])) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

// The longest run of one byte, whatever it is: "1111111111".
size_t LongestRun(std::string_view s) {
  size_t best = 0, run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    run = (i > 0 && s[i] == s[i - 1]) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

// The longest run of consecutive characters ("abcdef", "0123"): long ones
// are alphabets and charsets written as constants, not secrets.
size_t LongestAscendingRun(std::string_view s) {
  size_t best = s.empty() ? 0 : 1, run = 1;
  for (size_t i = 1; i < s.size(); ++i) {
    run = (IsAsciiAlnum(s[i]) && s[i] == s[i - 1] + 1) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

size_t DistinctBytes(std::string_view s) {
  std::array<bool, 256> seen{};
  size_t n = 0;
  for (unsigned char c : s) {
    if (!seen[c]) {
      seen[c] = true;
      ++n;
    }
  }
  return n;
}

bool HasDigit(std::string_view s) {
  for (char c : s) {
    if (IsAsciiDigit(c)) return true;
  }
  return false;
}

bool HasLetter(std::string_view s) {
  for (char c : s) {
    if (IsAsciiAlpha(c)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Values.

// Written in place of a secret: variables and templates (`$X`, `${X}`,
// `$(cmd)`, `{{ x }}`, `<your key>`, `%VAR%`, `[PASSWORD]`, `{token}`), YAML
// tags and anchors (`!vault`, `&a`, `*a`, `|`, `>`), masks and fillers
// (****, xxxx, a run of one letter), words that say so (changeme, dummy,
// example…), and alphabets written as constants ("abcdefghij…").
bool IsPlaceholder(std::string_view v) {
  if (v.empty()) return true;
  const char first = v.front(), last = v.back();
  if (first == '$' || first == '<' || first == '%' || first == '!' || first == '|' || first == '>' ||
      first == '&' || first == '*' || first == '(') {
    return true;
  }
  if (v.starts_with("{{") || v.starts_with("{%") || v.starts_with("#{")) return true;
  if ((first == '{' && last == '}') || (first == '[' && last == ']') || (first == '@' && last == '@')) return true;
  static constexpr std::string_view kMarkers[] = {
      "xxxx",     "****",     "....",       "____",        "changeme", "change_me", "change-me", "changeit",
      "placeholder", "dummy", "fake",       "redacted",    "example",  "sample",    "your_",     "your-",
      "yourpass", "yourkey",  "yoursecret", "yourtoken",   "yourapi",  "insert",    "replace",   "todo",
      "fixme",    "_here",    "-here",      "password",    "passwd",   "secret",    "process.env",
      "os.environ", "getenv", "env(",       "environ[",    "vault:"};
  for (std::string_view m : kMarkers) {
    if (ContainsNoCase(v, m)) return true;
  }
  return LongestLetterRun(v) >= 6 || LongestRun(v) >= 10 || LongestAscendingRun(v) >= 10;
}

// A word or an identifier made of words, without digits: "required",
// "Token", "NONE", "real_key", "myPassword", "SECRET_NAME", "key-id". Such a
// value names something (a variable, an enum, a field) more often than it
// is a password; random tokens without a digit are rare.
bool IsIdentifierLike(std::string_view v, bool* multiword) {
  *multiword = false;
  if (v.empty()) return false;
  size_t segments = 0;
  size_t i = 0;
  while (i < v.size()) {
    size_t start = i;
    while (i < v.size() && IsAsciiAlpha(v[i])) ++i;
    if (i == start) return false;  // an empty segment, a digit or another character
    std::string_view seg = v.substr(start, i - start);
    // Inside a segment: lower, UPPER, Capitalized or camelCase humps of an
    // upper-case letter followed by lower-case ones.
    bool all_upper = true;
    for (char c : seg) all_upper = all_upper && IsAsciiUpper(c);
    if (!all_upper) {
      for (size_t k = 1; k < seg.size(); ++k) {
        if (!IsAsciiUpper(seg[k])) continue;
        if (k + 1 >= seg.size() || !IsAsciiLower(seg[k + 1])) return false;  // "yqDVtk": not words
        *multiword = true;
      }
    }
    ++segments;
    if (i < v.size()) {
      if (v[i] != '_' && v[i] != '-' && v[i] != '.') return false;
      ++i;
      if (i == v.size()) return false;
    }
  }
  if (segments > 1) *multiword = true;
  return true;
}

// Code that yields a value rather than the value: a call or an index
// (`getpass()`, `os.environ["X"]`, `secrets[0]`), a member chain
// (`config.password`, `XSalsa20.key_length`) — for unquoted values only.
bool IsCodeReference(std::string_view v) {
  if (v.empty() || !(IsAsciiAlpha(v[0]) || v[0] == '_')) return false;
  size_t segments = 0;
  size_t i = 0;
  while (i < v.size()) {
    size_t start = i;
    if (!(IsAsciiAlpha(v[i]) || v[i] == '_')) return false;
    while (i < v.size() && (IsAsciiAlnum(v[i]) || v[i] == '_')) ++i;
    if (i - start > 40) return false;  // a long run is data (base64), not a name
    ++segments;
    if (i == v.size()) break;
    if (v[i] == '(' || v[i] == '[') return true;
    if (v[i] == '.') {
      ++i;
    } else if (v.substr(i).starts_with("->") || v.substr(i).starts_with("::")) {
      i += 2;
    } else {
      return false;
    }
    if (i == v.size()) return false;
  }
  return segments >= 2;
}

// URLs, paths and file names are where a secret is, not the secret.
bool IsUrlOrPath(std::string_view v) {
  if (v.find("://") != std::string_view::npos) return true;
  if (v.starts_with("/") || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/")) return true;
  if (v.size() >= 3 && IsAsciiAlpha(v[0]) && v[1] == ':' && v[2] == '\\') return true;
  // name.ext: file-name characters only, an extension of 2-4 starting with a letter.
  size_t dot = v.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view ext = v.substr(dot + 1);
  if (ext.size() < 2 || ext.size() > 4 || !IsAsciiAlpha(ext[0])) return false;
  for (char c : v) {
    if (!(IsAsciiAlnum(c) || c == '_' || c == '-' || c == '.' || c == '/')) return false;
  }
  for (char c : ext) {
    if (!IsAsciiAlnum(c)) return false;
  }
  return true;
}

enum class Strength { kNone, kWeak, kMedium, kStrong };

// A version or a dotted name: "jjwt-jackson-0.11.2", "jetbrains.mps.v8_x",
// "io.example.Widget" — names of things, not random values.
bool IsVersionOrDottedName(std::string_view v) {
  size_t dots = 0;
  size_t i = v.size();
  while (i > 0 && IsAsciiDigit(v[i - 1])) --i;
  if (i < v.size() && i > 1 && v[i - 1] == '.' && IsAsciiDigit(v[i - 2])) return true;  // ...1.2
  size_t start = 0;
  for (size_t k = 0; k <= v.size(); ++k) {
    if (k < v.size() && v[k] != '.') continue;
    std::string_view seg = v.substr(start, k - start);
    if (seg.empty() || seg.size() > 20 || !IsAsciiAlpha(seg[0])) return false;
    for (char c : seg) {
      if (!(IsAsciiAlnum(c) || c == '_' || c == '-')) return false;
    }
    dots += k < v.size();
    start = k + 1;
  }
  return dots > 0;
}

// Words with a number after them: "SalesReport-2024", "release_candidate7".
bool IsNameWithNumber(std::string_view v) {
  while (!v.empty() && IsAsciiDigit(v.back())) v.remove_suffix(1);
  while (!v.empty() && (v.back() == '-' || v.back() == '_' || v.back() == '.')) v.remove_suffix(1);
  bool multiword = false;
  return IsIdentifierLike(v, &multiword);
}

bool IsHex(std::string_view v) {
  for (char c : v) {
    if (!(IsAsciiDigit(c) || (Lower(c) >= 'a' && Lower(c) <= 'f'))) return false;
  }
  return true;
}

// Values of known token formats are left to their own rules, which know
// those formats' placeholders (xoxp-1234567890, ghp_xxxx…).
bool HasKnownTokenPrefix(std::string_view v) {
  static constexpr std::string_view kPrefixes[] = {"xoxa-", "xoxb-", "xoxe", "xoxo-", "xoxp-", "xoxr-", "xoxs-",
                                                   "xapp-", "ghp_",  "gho_", "ghu_",  "ghs_",  "ghr_",  "github_pat_"};
  for (std::string_view p : kPrefixes) {
    if (v.starts_with(p)) return true;
  }
  return false;
}

// Whether `v`, assigned to a key of `strength`, is a secret's literal value.
bool IsSecretLiteral(std::string_view v, Strength strength, bool quoted) {
  if (strength == Strength::kNone) return false;
  while (!v.empty() && (v.back() == ',' || v.back() == ';')) v.remove_suffix(1);
  if (v.size() < 6 || v.size() > 1000) return false;
  const char first = v.front();
  if (first == ',' || first == '.' || first == ';' || first == ':' || first == '-' || first == '=') return false;
  if (IsPlaceholder(v) || IsUrlOrPath(v) || HasKnownTokenPrefix(v)) return false;
  // NFKC writes a spacing diacritic (¨, ´) as a space and a combining mark
  // (U+0300-U+036F, lead bytes CC and CD): that space is part of the value.
  size_t spaces = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    bool combining = i + 1 < v.size() && (static_cast<unsigned char>(v[i + 1]) == 0xCC ||
                                          static_cast<unsigned char>(v[i + 1]) == 0xCD);
    spaces += IsBlank(v[i]) && !combining;
  }
  if (spaces > 0) {
    // A pass phrase in quotes; not a sentence, not for a token or a key.
    if (!quoted || strength != Strength::kStrong || spaces > 6 || v.back() == '.') return false;
  }
  bool multiword = false;
  if (IsIdentifierLike(v, &multiword) && (!quoted || multiword)) return false;
  if (!quoted && IsCodeReference(v)) return false;
  if (DistinctBytes(v) < 4) return false;
  switch (strength) {
    case Strength::kStrong:
      return true;
    case Strength::kMedium:
      if (v.size() < 8 || IsVersionOrDottedName(v) || IsNameWithNumber(v)) return false;
      // 16+ hex digits have at most 4 bits per character: judged by their own scale.
      if (v.size() >= 16 && IsHex(v)) return HasDigit(v) && HasLetter(v) && ShannonEntropy(v) >= 2.5;
      return ShannonEntropy(v) >= 3.0;
    case Strength::kWeak:
      return v.size() >= 16 && HasDigit(v) && HasLetter(v) && !IsVersionOrDottedName(v) &&
             !IsNameWithNumber(v) && ShannonEntropy(v) >= 3.5;
    case Strength::kNone:
      break;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Keys.

// The words of an identifier: split at '_', '-', '.', '$', between a lower-
// case letter and an upper-case one, at the last capital of a capital run
// followed by lower case ("AWSToken" -> AWS, Token), and between letters
// and digits. Non-ASCII runs (パスワード) are one word.
struct Words {
  std::array<std::string_view, 16> w;
  size_t n = 0;
};

Words SplitIdentifier(std::string_view id) {
  Words out;
  size_t i = 0;
  while (i < id.size() && out.n < out.w.size()) {
    const char c = id[i];
    if (!(IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80)) {
      ++i;
      continue;
    }
    size_t start = i;
    if (static_cast<unsigned char>(c) >= 0x80) {
      while (i < id.size() && static_cast<unsigned char>(id[i]) >= 0x80) ++i;
    } else if (IsAsciiDigit(c)) {
      while (i < id.size() && IsAsciiDigit(id[i])) ++i;
    } else if (IsAsciiUpper(c)) {
      while (i < id.size() && IsAsciiUpper(id[i])) ++i;
      if (i < id.size() && IsAsciiLower(id[i])) {
        if (i - start > 1) {
          --i;  // "AWSToken": the T starts the next word
        } else {
          while (i < id.size() && IsAsciiLower(id[i])) ++i;
        }
      }
    } else {
      while (i < id.size() && IsAsciiLower(id[i])) ++i;
    }
    out.w[out.n++] = id.substr(start, i - start);
  }
  return out;
}

// Words that name a secret whatever surrounds them.
constexpr std::string_view kStrongWords[] = {
    "pass",        "pwd",        "pw",         "passwd",     "password",  "passwords", "passphrase",
    "passcode",    "secret",     "secrete",    "secrets",    "credential", "credentials", "creds",
    "cred",        "apikey",     "apikeys",    "secretkey",  "privatekey", "accesskey", "clientsecret"};
// Suffixes that make a word one of those: dbpassword, clientsecret, myapikey.
constexpr std::string_view kStrongEndings[] = {"password", "passwd", "secret", "apikey", "passphrase"};
// Words that name a secret when the value is random enough.
constexpr std::string_view kMediumWords[] = {"token", "tokens", "auth", "authorization", "bearer",
                                             "apitoken", "authtoken", "accesstoken"};
// Words before "key" that make it a secret key.
constexpr std::string_view kKeyQualifiers[] = {"api",    "private", "secret",   "access", "master", "signing",
                                               "encryption", "client", "consumer", "app",   "auth",   "license",
                                               "subscription", "service", "account", "admin", "session", "hmac"};
// Words after the secret word that make the key the name of something
// else: credentials_id, api_key_url, token_file, secret_length, SECRET_NAME.
constexpr std::string_view kNotSecretAfter[] = {
    "id",       "ids",       "name",      "names",     "url",        "uri",       "urls",      "endpoint",
    "file",     "filename",  "files",     "path",      "paths",      "dir",       "length",    "len",
    "size",     "type",      "types",     "field",     "fields",     "header",    "headers",   "format",
    "prefix",   "suffix",    "count",     "version",   "ttl",        "expiry",    "expires",   "expire",
    "expiration", "expired", "lifetime",  "timeout",   "duration",   "interval",  "mode",      "policy",
    "label",    "hint",      "provider",  "store",     "vault",      "manager",   "selector",  "pressed",
    "pair",     "chars",     "str",       "alphabet",  "index",      "idx",       "meshing",   "source",
    "variable", "var",       "env",       "param",     "params",     "parameter", "placeholder", "regex",
    "pattern",  "min",       "max",       "enabled",   "required",   "rotation",  "location",  "arn",
    "ref",      "reference", "limit",     "budget",    "usage",      "frame",     "signatures", "generator",
    "service",  "class",     "schema",    "algorithm", "method",     "strategy",  "handler",   "callback",
    "validator", "input",    "form",      "button",    "text",       "title",     "description", "help",
    "error",    "message",   "prompt",    "confirm",   "confirmation", "reset",   "changed",   "change",
    "check",    "rule",      "strength",  "complexity", "hash",      "hashed",    "digest",    "salt",
    "mask",     "masked",    "visible",   "visibility", "toggle",    "icon",      "column",    "table",
    "event",    "events",    "down",      "up",        "press"};
// Words before the secret word that make it not a secret: public_key,
// csrf_token, next_page_token, max_tokens, sort_key.
constexpr std::string_view kNotSecretBefore[] = {
    "public", "publishable", "pub", "csrf", "xsrf", "primary", "foreign", "sort", "partition", "cache",
    "idempotency", "page", "next", "continuation", "pagination", "cursor", "sync", "max", "min", "num",
    "total", "hot", "lookup", "row", "composite", "unique", "registry"};

bool IsStrongWord(std::string_view w) {
  if (EqualsAnyNoCase(w, kStrongWords)) return true;
  for (std::string_view e : kStrongEndings) {
    if (EndsWithNoCase(w, e)) return true;
  }
  return false;
}

// How strongly the key `id` names a secret (kNone: not a secret's name).
Strength KeyStrength(std::string_view id) {
  // Japanese labels: the pattern lists them; any of them is a password's.
  static constexpr std::string_view kJapanese[] = {"パスワード", "暗証番号", "パスフレーズ"};
  for (std::string_view j : kJapanese) {
    if (id.find(j) != std::string_view::npos) return Strength::kStrong;
  }
  Words words = SplitIdentifier(id);
  Strength best = Strength::kNone;
  size_t first = words.n, last = words.n;
  for (size_t i = 0; i < words.n; ++i) {
    std::string_view w = words.w[i];
    Strength s = Strength::kNone;
    if (IsStrongWord(w)) {
      s = Strength::kStrong;
    } else if (EqualsNoCase(w, "key") || EqualsNoCase(w, "keys")) {
      s = (i > 0 && EqualsAnyNoCase(words.w[i - 1], kKeyQualifiers)) ? Strength::kStrong : Strength::kWeak;
    } else if (EqualsAnyNoCase(w, kMediumWords) || EndsWithNoCase(w, "token")) {
      s = Strength::kMedium;
    }
    if (s == Strength::kNone) continue;
    if (first == words.n) first = i;
    last = i;
    if (s > best) best = s;
  }
  if (best == Strength::kNone) return best;
  // keyVaultToStoreSecrets names a vault; api_key_myservice is a key.
  for (size_t i = first + 1; i < words.n; ++i) {
    if (EqualsAnyNoCase(words.w[i], kNotSecretAfter)) return Strength::kNone;
  }
  for (size_t i = 0; i < last; ++i) {
    if (EqualsAnyNoCase(words.w[i], kNotSecretBefore)) return Strength::kNone;
  }
  return best;
}

// ---------------------------------------------------------------------------
// Reading `key op value`.

// A quoted string at the start of `s`: its content and the rest after the
// closing quote; false when there is no closing quote.
bool TakeQuoted(std::string_view* s, std::string_view* content) {
  if (s->empty() || !IsQuote(s->front())) return false;
  const char q = s->front();
  size_t close = s->find(q, 1);
  if (close == std::string_view::npos) return false;
  *content = s->substr(1, close - 1);
  s->remove_prefix(close + 1);
  return true;
}

void SkipBlanks(std::string_view* s) {
  while (!s->empty() && IsBlank(s->front())) s->remove_prefix(1);
}

constexpr bool IsIdentifierByte(char c) {
  return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '$' || c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

// An assignment or comparison operator at the start of `s` (longest first).
std::string_view TakeOperator(std::string_view* s) {
  static constexpr std::string_view kOps[] = {"===", "!==", ":=", "=>", "==", "!=", "=", ":", "(", ","};
  for (std::string_view op : kOps) {
    if (s->starts_with(op)) {
      s->remove_prefix(op.size());
      return op;
    }
  }
  return {};
}

// HTTP authorization schemes written before the credential.
void SkipAuthScheme(std::string_view* s) {
  static constexpr std::string_view kSchemes[] = {"basic", "bearer", "token", "digest", "api-token",
                                                  "apitoken", "jwt", "oauth", "apikey"};
  for (std::string_view scheme : kSchemes) {
    if (StartsWithNoCase(*s, scheme) && s->size() > scheme.size() && IsBlank((*s)[scheme.size()])) {
      s->remove_prefix(scheme.size());
      SkipBlanks(s);
      return;
    }
  }
}

bool IsSecretAssignmentImpl(std::string_view s) {
  if (s.empty()) return false;
  if (IsQuote(s.front())) {
    // Either `"value" == key` or a quoted key: `"api_key": "…"`.
    std::string_view rest = s, content;
    if (TakeQuoted(&rest, &content)) {
      std::string_view after = rest;
      SkipBlanks(&after);
      std::string_view op = TakeOperator(&after);
      if (op == "==" || op == "!=" || op == "===" || op == "!==") {
        SkipBlanks(&after);
        return IsSecretLiteral(content, KeyStrength(after), true);
      }
    }
  }
  bool key_quoted = false;
  if (IsQuote(s.front())) {
    key_quoted = true;
    s.remove_prefix(1);
  }
  const bool flag = s.starts_with("-");
  size_t n = 0;
  while (n < s.size() && IsIdentifierByte(s[n])) ++n;
  std::string_view key = s.substr(0, n);
  s.remove_prefix(n);
  if (key.ends_with(".") || key.ends_with("-")) return false;  // "… the password. `openssl …`": prose
  if (key_quoted && !s.empty() && IsQuote(s.front())) s.remove_prefix(1);
  if (s.starts_with("[")) {  // secret[] = …, char secret[25] = …
    size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    s.remove_prefix(close + 1);
  }
  const size_t before = s.size();
  SkipBlanks(&s);
  const bool blank = s.size() != before;
  std::string_view op = TakeOperator(&s);
  if (op.empty() && !blank) return false;
  SkipBlanks(&s);
  SkipAuthScheme(&s);
  if (s.starts_with("@") && s.size() > 1 && IsQuote(s[1])) s.remove_prefix(1);  // C# @"…"
  std::string_view value;
  bool quoted = false;
  if (!s.empty() && IsQuote(s.front())) {
    const bool backquoted = s.front() == '`';
    if (!TakeQuoted(&s, &value)) return false;  // unbalanced quotes: not a literal
    // `a command` in Markdown or a shell substitution, not a pass phrase.
    if (backquoted && value.find_first_of(" \t") != std::string_view::npos) return false;
    quoted = true;
  } else {
    value = s;
  }
  // Separators that need a literal after them: `secret("…")`, `("api_token", "…")`,
  // `password "…"`; a command-line flag may take a bare value (`--password x`).
  if ((op == "(" || op == ",") && !quoted) return false;
  if (op == "," && !key_quoted) return false;
  if (op.empty() && !quoted && !flag) return false;
  return IsSecretLiteral(value, KeyStrength(key), quoted);
}

// ---------------------------------------------------------------------------
// Base64url, for JWT.

int Base64Value(char c) {
  if (IsAsciiUpper(c)) return c - 'A';
  if (IsAsciiLower(c)) return c - 'a' + 26;
  if (IsAsciiDigit(c)) return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

// Decodes the base64url `in` into `out` (up to its capacity); the decoded
// length, or -1 on a character outside the alphabet. A trailing partial
// group is ignored.
template <size_t N>
long DecodeBase64(std::string_view in, std::array<char, N>& out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = Base64Value(c);
    if (v < 0) return -1;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n < N) out[n] = static_cast<char>((acc >> bits) & 0xFF);
      ++n;
    }
  }
  return static_cast<long>(n);
}

std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<uint32_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0.0;
  const double n = static_cast<double>(s.size());
  for (uint32_t c : counts) {
    if (c == 0) continue;
    double p = c / n;
    h -= p * std::log2(p);
  }
  return h;
}

bool IsSecretAssignment(std::string_view candidate) { return IsSecretAssignmentImpl(candidate); }

bool IsUserPasswordPair(std::string_view candidate) {
  // The pair without its quotes, in a fixed buffer.
  std::array<char, 512> buf;
  size_t n = 0;
  for (char c : candidate) {
    if (c == '"' || c == '\'') continue;
    if (n == buf.size()) return false;
    buf[n++] = c;
  }
  std::string_view pair(buf.data(), n);
  size_t colon = pair.find(':');
  if (colon == std::string_view::npos) return false;  // a user alone: curl asks for the password
  auto unbrace = [](std::string_view s) {
    if (s.size() > 2 && s.front() == '{' && s.back() == '}' &&
        s.substr(1, s.size() - 2).find_first_of("${}") == std::string_view::npos) {
      return s.substr(1, s.size() - 2);
    }
    return s;
  };
  std::string_view user = unbrace(pair.substr(0, colon));
  std::string_view password = unbrace(pair.substr(colon + 1));
  if (!password.empty()) {
    return IsSecretLiteral(password, Strength::kStrong, false);
  }
  // `-u KEY:`: an API key passed as the user, the password left empty.
  return IsSecretLiteral(user, Strength::kMedium, false) && HasDigit(user);
}

bool IsTokenValue(std::string_view candidate) {
  if (candidate.size() < 8) return false;
  if (LongestLetterRun(candidate) >= 6 || ContainsNoCase(candidate, "xxxx") ||
      LongestAscendingRun(candidate) >= 10) {
    return false;
  }
  return DistinctBytes(candidate) >= 8;
}

bool IsAwsKey(std::string_view candidate) {
  return IsTokenValue(candidate) && candidate.find("EXAMPLE") == std::string_view::npos;
}

bool IsJwt(std::string_view candidate) {
  size_t dot = candidate.find('.');
  if (dot == std::string_view::npos) return false;
  std::string_view header = candidate.substr(0, dot);
  std::string_view rest = candidate.substr(dot + 1);
  std::string_view payload = rest.substr(0, rest.find('.'));
  std::array<char, 2048> buf;
  long n = DecodeBase64(header, buf);
  if (n < 2 || static_cast<size_t>(n) > buf.size()) return false;
  std::string_view h = TrimSpace(std::string_view(buf.data(), static_cast<size_t>(n)));
  if (h.size() < 2 || h.front() != '{' || h.back() != '}' || h.find('"') == std::string_view::npos) return false;
  // A JOSE header is ASCII JSON with "name": members; a token damaged in a
  // byte or two is still a token, random base64 decodes to binary.
  if (h.find("\":") == std::string_view::npos) return false;
  size_t binary = 0;
  for (char c : h) {
    unsigned char u = static_cast<unsigned char>(c);
    binary += (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u >= 0x7F;
  }
  if (binary * 5 > h.size()) return false;
  std::array<char, 8> head;
  if (payload.size() < 4 || DecodeBase64(payload.substr(0, 4), head) < 1) return false;
  if (DecodeBase64(payload, buf) < 0) return false;  // every character in the alphabet
  std::string_view p = TrimSpace(std::string_view(head.data(), 3));
  return !p.empty() && p.front() == '{';
}

}  // namespace kimitsu::match
