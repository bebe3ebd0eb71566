#include "policy/loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "match/validators.h"
#include "text/utf8.h"

namespace kimitsu::policy {

const char* PlacementName(Placement p) {
  switch (p) {
    case Placement::kLine: return "line";
    case Placement::kHeader: return "header";
    case Placement::kFooter: return "footer";
    case Placement::kLineStart: return "line_start";
    case Placement::kProse: return "prose";
  }
  return "?";
}

std::string PolicyError::ToString() const {
  std::string s = source.empty() ? "<policy>" : source;
  if (line > 0) absl::StrAppend(&s, ":", line, ":", column);
  absl::StrAppend(&s, ": ");
  if (!rule_id.empty()) absl::StrAppend(&s, "rule '", rule_id, "': ");
  absl::StrAppend(&s, message);
  return s;
}

namespace {

SourceLocation Where(const YAML::Node& node) {
  YAML::Mark m = node.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

// Walks the YAML tree; the first error found stops the walk.
class Reader {
 public:
  Reader(std::string_view source, const PolicyLimits& limits, PolicyError* error)
      : source_(source.empty() ? "<policy>" : std::string(source)), limits_(limits), error_(error) {}

  bool Fail(const YAML::Node& at, std::string message) { return Fail(Where(at), std::move(message)); }
  bool Fail(SourceLocation at, std::string message) {
    if (error_) {
      error_->source = source_;
      error_->line = at.line;
      error_->column = at.column;
      error_->rule_id = rule_id_;
      error_->message = std::move(message);
    }
    return false;
  }

  // Checks that `node` is a map whose keys are all in `allowed`, once each.
  bool CheckMap(const YAML::Node& node, const std::string& what,
                std::initializer_list<const char*> allowed) {
    if (!node.IsMap()) return Fail(node, absl::StrCat(what, " must be a mapping"));
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) return Fail(kv.first, absl::StrCat("keys of ", what, " must be strings"));
      const std::string& key = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        return Fail(kv.first, absl::StrCat("unknown key '", key, "' in ", what, " (expected one of: ",
                                           absl::StrJoin(allowed, ", "), ")"));
      }
      if (!seen.insert(key).second) return Fail(kv.first, absl::StrCat("duplicate key '", key, "'"));
    }
    return true;
  }

  bool String(const YAML::Node& node, const std::string& what, std::string* out) {
    if (!node.IsScalar()) return Fail(node, absl::StrCat(what, " must be a string"));
    *out = node.Scalar();
    return true;
  }

  bool Number(const YAML::Node& node, const std::string& what, double lo, double hi, double* out) {
    double v;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, v) || std::isnan(v)) {
      return Fail(node, absl::StrCat(what, " must be a number"));
    }
    if (v < lo || v > hi) return Fail(node, absl::StrCat(what, " must be in [", lo, ", ", hi, "], not ", node.Scalar()));
    *out = v;
    return true;
  }

  bool Count(const YAML::Node& node, const std::string& what, size_t lo, size_t hi, size_t* out) {
    double v;
    if (!Number(node, what, static_cast<double>(lo), static_cast<double>(hi), &v)) return false;
    if (v != std::floor(v)) return Fail(node, absl::StrCat(what, " must be a whole number"));
    *out = static_cast<size_t>(v);
    return true;
  }

  bool Bool(const YAML::Node& node, const std::string& what, bool* out) {
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, *out)) {
      return Fail(node, absl::StrCat(what, " must be true or false"));
    }
    return true;
  }

  bool StringList(const YAML::Node& node, const std::string& what, size_t max, std::vector<std::string>* out) {
    if (!node.IsSequence()) return Fail(node, absl::StrCat(what, " must be a list of strings"));
    if (node.size() > max) return Fail(node, absl::StrCat(what, ": ", node.size(), " entries exceed the limit of ", max));
    out->reserve(node.size());
    for (const auto& item : node) {
      if (!item.IsScalar()) return Fail(item, absl::StrCat("each of ", what, " must be a string"));
      if (item.Scalar().empty()) return Fail(item, absl::StrCat(what, " may not contain an empty string"));
      out->push_back(item.Scalar());
    }
    if (out->empty()) return Fail(node, absl::StrCat(what, " may not be empty"));
    return true;
  }

  bool ReadTier(const YAML::Node& node, Tier* t) {
    if (!CheckMap(node, "a tier", {"id", "label", "description", "threshold"})) return false;
    if (!node["id"]) return Fail(node, "a tier needs an 'id'");
    if (!String(node["id"], "tier id", &t->id)) return false;
    if (!ValidId(t->id)) return Fail(node["id"], absl::StrCat("tier id '", t->id, "' must be letters, digits, '_', '-' or '.'"));
    if (node["label"] && !String(node["label"], "label", &t->label)) return false;
    if (t->label.empty()) t->label = t->id;
    if (node["description"] && !String(node["description"], "description", &t->description)) return false;
    if (node["threshold"] && !Number(node["threshold"], "threshold", 0.0, 1.0, &t->threshold)) return false;
    t->where = Where(node);
    return true;
  }

  bool ReadContext(const YAML::Node& node, Context* c) {
    if (!CheckMap(node, "a context", {"words", "window", "unit", "boost", "penalty", "required"})) return false;
    c->where = Where(node);
    if (!node["words"]) return Fail(node, "a context needs 'words'");
    if (!StringList(node["words"], "context words", limits_.max_context_words, &c->words)) return false;
    if (node["unit"]) {
      std::string unit;
      if (!String(node["unit"], "unit", &unit)) return false;
      if (unit == "tokens") c->window_in_tokens = true;
      else if (unit != "chars") return Fail(node["unit"], "unit must be 'chars' or 'tokens'");
    }
    // Windows are bounded so that a scan looks a bounded distance around a
    // candidate (a stream keeps 32 KiB of text on each side of its chunk).
    if (node["window"] &&
        !Count(node["window"], c->window_in_tokens ? "window (tokens)" : "window (characters)", 1,
               c->window_in_tokens ? 200 : 2000, &c->window)) {
      return false;
    }
    if (node["boost"] && !Number(node["boost"], "boost", 0.0, 1.0, &c->boost)) return false;
    if (node["penalty"] && !Number(node["penalty"], "penalty", 0.0, 1.0, &c->penalty)) return false;
    if (node["required"] && !Bool(node["required"], "required", &c->required)) return false;
    if (c->boost == 0 && c->penalty == 0 && !c->required) {
      return Fail(node, "a context needs a 'boost', a 'penalty' or 'required: true'");
    }
    return true;
  }

  bool ReadMarking(const YAML::Node& node, Rule* r) {
    if (!CheckMap(node, "a marking", {"regex", "keywords", "placement", "page_lines"})) return false;
    if (node["regex"].IsDefined() == node["keywords"].IsDefined()) {
      return Fail(node, "a marking needs exactly one of 'regex' or 'keywords'");
    }
    if (node["regex"]) {
      if (!String(node["regex"], "regex", &r->regex)) return false;
      regex_where_ = Where(node["regex"]);
    } else {
      regex_where_ = Where(node["keywords"]);
      if (!StringList(node["keywords"], "keywords", limits_.max_keywords_per_rule, &r->keywords)) return false;
    }
    if (node["page_lines"] && !Count(node["page_lines"], "page_lines", 1, 100, &r->page_lines)) return false;
    if (const YAML::Node& p = node["placement"]) {
      if (!CheckMap(p, "placement", {"line", "header", "footer", "line_start", "prose"})) return false;
      r->placement.fill(0.0);
      for (size_t i = 0; i < kPlacementCount; ++i) {
        const char* name = PlacementName(static_cast<Placement>(i));
        if (p[name] && !Number(p[name], absl::StrCat("placement ", name), 0.0, 1.0, &r->placement[i])) return false;
      }
    }
    return true;
  }

  bool ReadRule(const YAML::Node& node, Rule* r) {
    rule_id_.clear();
    // Name the rule in errors about its keys too, when its id can be read.
    if (node.IsMap()) {
      const YAML::Node& id = node["id"];
      if (id && id.IsScalar() && ValidId(id.Scalar())) rule_id_ = id.Scalar();
    }
    if (!CheckMap(node, "a rule",
                  {"id", "description", "tier", "entity", "confidence", "regex", "keywords", "marking",
                   "validator", "context", "min_count", "max_score", "case_sensitive", "word_boundary",
                   "counters"})) {
      return false;
    }
    r->where = Where(node);
    if (!node["id"]) return Fail(node, "a rule needs an 'id'");
    if (!String(node["id"], "rule id", &r->id)) return false;
    if (!ValidId(r->id)) return Fail(node["id"], absl::StrCat("rule id '", r->id, "' must be letters, digits, '_', '-' or '.'"));
    rule_id_ = r->id;
    if (node["description"] && !String(node["description"], "description", &r->description)) return false;
    if (!node["tier"]) return Fail(node, "a rule needs a 'tier'");
    if (!String(node["tier"], "tier", &r->tier)) return false;
    tier_where_ = Where(node["tier"]);
    if (node["entity"] && !String(node["entity"], "entity", &r->entity)) return false;
    if (!node["confidence"]) return Fail(node, "a rule needs a 'confidence'");
    if (!Number(node["confidence"], "confidence", 0.0, 1.0, &r->confidence)) return false;

    int matchers = !!node["regex"] + !!node["keywords"] + !!node["marking"];
    if (matchers != 1) return Fail(node, "a rule needs exactly one matcher: 'regex', 'keywords' or 'marking'");
    regex_where_ = {};
    if (node["regex"]) {
      r->kind = MatcherKind::kRegex;
      if (!String(node["regex"], "regex", &r->regex)) return false;
      regex_where_ = Where(node["regex"]);
    } else if (node["keywords"]) {
      r->kind = MatcherKind::kKeywords;
      regex_where_ = Where(node["keywords"]);
      if (!StringList(node["keywords"], "keywords", limits_.max_keywords_per_rule, &r->keywords)) return false;
    } else {
      r->kind = MatcherKind::kMarking;
      if (!ReadMarking(node["marking"], r)) return false;
    }
    if (r->regex.size() > limits_.max_pattern_bytes) {
      return Fail(regex_where_, absl::StrCat("regex of ", r->regex.size(), " bytes exceeds the limit of ",
                                             limits_.max_pattern_bytes));
    }
    r->pattern_where = regex_where_;
    keyword_total_ += r->keywords.size();
    if (keyword_total_ > limits_.max_keywords_total) {
      return Fail(node, absl::StrCat("the policy's keywords exceed the limit of ", limits_.max_keywords_total));
    }
    if (node["validator"]) {
      if (!String(node["validator"], "validator", &r->validator)) return false;
      if (match::FindValidator(r->validator) == nullptr) {
        std::vector<std::string> names;
        for (const auto& v : match::Validators()) names.emplace_back(v.name);
        return Fail(node["validator"], absl::StrCat("unknown validator '", r->validator, "' (known: ",
                                                    absl::StrJoin(names, ", "), ")"));
      }
    }
    if (const YAML::Node& c = node["context"]) {
      if (c.IsSequence()) {
        for (const auto& item : c) {
          if (!ReadContext(item, &r->context.emplace_back())) return false;
        }
      } else if (!ReadContext(c, &r->context.emplace_back())) {
        return false;
      }
    }
    if (node["min_count"] && !Count(node["min_count"], "min_count", 1, 1000000, &r->min_count)) return false;
    if (node["max_score"]) {
      double v;
      if (!Number(node["max_score"], "max_score", 0.0, 1.0, &v)) return false;
      r->max_score = v;
    }
    if (node["case_sensitive"] && !Bool(node["case_sensitive"], "case_sensitive", &r->case_sensitive)) return false;
    if (node["word_boundary"] && !Bool(node["word_boundary"], "word_boundary", &r->word_boundary)) return false;
    counters_where_ = {};
    if (node["counters"]) {
      counters_where_ = Where(node["counters"]);
      if (!StringList(node["counters"], "counters", 64, &r->counters)) return false;
    }
    return true;
  }

  bool ReadPolicy(const YAML::Node& root, Policy* p) {
    if (!root.IsDefined() || root.IsNull()) return Fail(SourceLocation{1, 1}, "the policy is empty");
    if (!CheckMap(root, "the policy", {"version", "name", "description", "tiers", "default_tier", "rules"})) return false;
    if (root["version"]) {
      size_t v;
      if (!Count(root["version"], "version", 1, 1000, &v)) return false;
      if (v != 1) return Fail(root["version"], absl::StrCat("policy version ", v, " is not supported (this kimitsu reads version 1)"));
      p->version = static_cast<int>(v);
    }
    if (root["name"] && !String(root["name"], "name", &p->name)) return false;
    if (root["description"] && !String(root["description"], "description", &p->description)) return false;

    const YAML::Node& tiers = root["tiers"];
    if (!tiers) return Fail(root, "the policy needs 'tiers' (a list, highest first)");
    if (!tiers.IsSequence()) return Fail(tiers, "'tiers' must be a list, highest first");
    if (tiers.size() < 2) return Fail(tiers, "'tiers' needs at least two tiers: one with evidence and the default");
    std::set<std::string> tier_ids;
    for (const auto& t : tiers) {
      Tier tier;
      if (!ReadTier(t, &tier)) return false;
      if (!tier_ids.insert(tier.id).second) return Fail(t["id"], absl::StrCat("duplicate tier id '", tier.id, "'"));
      p->tiers.push_back(std::move(tier));
    }
    if (!root["default_tier"]) return Fail(root, "the policy needs a 'default_tier'");
    if (!String(root["default_tier"], "default_tier", &p->default_tier)) return false;
    if (!tier_ids.count(p->default_tier)) {
      return Fail(root["default_tier"], absl::StrCat("default_tier '", p->default_tier, "' is not one of the tiers"));
    }
    if (p->tiers.back().id != p->default_tier) {
      return Fail(root["default_tier"], absl::StrCat("tiers are listed highest first, so the default tier '",
                                                     p->default_tier, "' must be the last one"));
    }

    const YAML::Node& rules = root["rules"];
    if (!rules) return Fail(root, "the policy needs 'rules'");
    if (!rules.IsSequence()) return Fail(rules, "'rules' must be a list");
    if (rules.size() > limits_.max_rules) {
      return Fail(rules, absl::StrCat(rules.size(), " rules exceed the limit of ", limits_.max_rules));
    }
    std::set<std::string> rule_ids;
    p->rules.reserve(rules.size());
    for (const auto& node : rules) {
      Rule rule;
      if (!ReadRule(node, &rule)) return false;
      if (!tier_ids.count(rule.tier)) return Fail(tier_where_, absl::StrCat("unknown tier '", rule.tier, "'"));
      if (rule.tier == p->default_tier && rule.counters.empty()) {
        return Fail(tier_where_, absl::StrCat("rules are evidence for a tier above the default tier '",
                                              p->default_tier, "' (or counter-evidence, with 'counters')"));
      }
      for (const std::string& t : rule.counters) {
        if (!tier_ids.count(t) || t == p->default_tier) {
          return Fail(counters_where_, absl::StrCat("counters: '", t, "' is not a tier above the default tier"));
        }
      }
      if (!rule_ids.insert(rule.id).second) return Fail(node["id"], "duplicate rule id");
      p->rules.push_back(std::move(rule));
    }
    rule_id_.clear();
    return true;
  }

 private:
  static bool ValidId(const std::string& id) {
    return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
             c == '-' || c == '.';
    });
  }

  std::string source_;
  const PolicyLimits& limits_;
  PolicyError* error_;
  std::string rule_id_;
  SourceLocation tier_where_;
  SourceLocation regex_where_;
  SourceLocation counters_where_;
  size_t keyword_total_ = 0;
};

// Line and column (1-based) of byte `offset` in `text`.
SourceLocation LocationOf(std::string_view text, size_t offset) {
  SourceLocation loc{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++loc.column;
    }
  }
  return loc;
}

}  // namespace

bool ParsePolicy(std::string_view text, std::string_view source, const PolicyLimits& limits, Policy* out,
                 PolicyError* error) {
  Reader reader(source, limits, error);
  *out = Policy{};
  out->source = source.empty() ? "<policy>" : std::string(source);
  if (text.size() > limits.max_policy_bytes) {
    return reader.Fail(SourceLocation{}, absl::StrCat("the policy is ", text.size(), " bytes; the limit is ",
                                                      limits.max_policy_bytes));
  }
  size_t valid = text::ValidUtf8PrefixLength(text);
  if (valid != text.size()) {
    return reader.Fail(LocationOf(text, valid), "the policy is not valid UTF-8 here");
  }
  if (text.find('\0') != std::string_view::npos) {
    return reader.Fail(LocationOf(text, text.find('\0')), "the policy contains a NUL byte");
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return reader.ReadPolicy(root, out);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops its recursive descent at a fixed depth (2,000); say so,
    // rather than its generic "bad file".
    SourceLocation at;
    if (e.mark.line >= 0) at = {e.mark.line + 1, e.mark.column + 1};
    return reader.Fail(at, absl::StrCat("the YAML nests too deeply (", e.depth(),
                                        " levels of lists or mappings; no policy needs more than a few)"));
  } catch (const YAML::Exception& e) {
    SourceLocation at;
    if (e.mark.line >= 0) at = {e.mark.line + 1, e.mark.column + 1};
    return reader.Fail(at, e.msg.empty() ? "YAML syntax error" : e.msg);
  } catch (const std::exception& e) {
    return reader.Fail(SourceLocation{}, absl::StrCat("cannot read the policy: ", e.what()));
  }
}

}  // namespace kimitsu::policy
