#include "corpus.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

namespace kimitsu::bench {
namespace {

// Everyday words, none of them a keyword or context word of the default
// policy, so that a clean document holds no finding.
constexpr std::string_view kEnglishWords[] = {
    "the", "a", "of", "and", "to", "in", "is", "was", "for", "on", "with", "as", "by", "at", "from", "that",
    "this", "it", "we", "they", "our", "their", "team", "project", "report", "meeting", "plan", "review",
    "schedule", "week", "month", "year", "morning", "afternoon", "office", "building", "river", "garden",
    "city", "train", "station", "weather", "rain", "summer", "winter", "spring", "autumn", "book", "library",
    "museum", "park", "road", "bridge", "market", "coffee", "lunch", "dinner", "kitchen", "recipe", "bread",
    "music", "concert", "festival", "student", "teacher", "school", "lesson", "question", "answer", "idea",
    "result", "progress", "update", "draft", "version", "design", "feature", "release", "software", "system",
    "process", "change", "issue", "problem", "solution", "method", "approach", "analysis", "data", "sample",
    "measure", "figure", "chart", "summary", "detail", "note", "comment", "story", "history", "travel",
    "journey", "visit", "photo", "picture", "window", "door", "chair", "desk", "light", "color", "sound",
    "voice", "water", "tree", "flower", "mountain", "lake", "sea", "island", "village", "community",
    "volunteer", "event", "weekend", "holiday", "family", "friend", "neighbor", "guest", "member", "group",
    "committee", "local", "new", "old", "small", "large", "quick", "slow", "bright", "quiet", "busy", "simple",
    "careful", "useful", "important", "recent", "early", "late", "final", "next", "last", "first", "several",
    "many", "few", "every", "each", "also", "often", "usually", "again", "already", "still", "soon", "later",
    "today", "yesterday", "tomorrow", "will", "would", "could", "should", "might", "must", "can", "may",
    "has", "have", "had", "made", "make", "took", "take", "went", "go", "saw", "see", "found", "find", "gave",
    "give", "said", "say", "showed", "show", "started", "start", "finished", "planned", "discussed",
    "prepared", "improved", "checked", "moved", "opened", "closed", "walked", "visited", "wrote", "read",
    "built", "tested", "shared", "noticed", "expected", "explained", "around", "between", "during", "after",
    "before", "under", "over", "through", "across", "along", "near", "without", "about", "because", "while",
};

constexpr std::string_view kJapaneseSubjects[] = {
    "本日の会議では", "新しい製品の開発について", "来週の予定として", "研究チームは", "地域のイベントでは",
    "図書館の利用者は", "今年の春には", "駅前の公園で", "先月の報告書によると", "多くの参加者が",
    "学校の先生たちは", "私たちのグループは", "この計画の目的は", "週末の天気は", "新しい図書の紹介では",
};
constexpr std::string_view kJapaneseMiddles[] = {
    "資料を確認しながら", "意見を交換して", "丁寧に準備を進め", "新しい方法を試して", "天気の良い日に",
    "学生たちと一緒に", "写真を撮りながら", "改善点を整理して", "ゆっくりと時間をかけて", "皆で協力して",
    "地図を見ながら", "具体的な例を挙げて",
};
constexpr std::string_view kJapaneseEnds[] = {
    "次の段階に進みました", "結果を共有しました", "計画を見直すことになりました", "楽しい時間を過ごしました",
    "問題なく完了しました", "予定どおりに進んでいます", "議論が続いています", "報告を受けました",
    "準備が整いました", "新しい発見がありました",
};
// Full-width digits and brackets, as Japanese text writes dates, counts and
// headings: NFKC rewrites them.
constexpr std::string_view kJapaneseDates[] = {
    "２０２４年５月１０日に", "第３回の集まりで", "約１２０人が参加し", "（概要）", "午後３時から",
    "１０月の初めに", "全５章のうち",
};

constexpr std::string_view kSkuWarehouses[] = {"WH-TOKYO", "WH-OSAKA", "WH-NAGOYA", "WH-SENDAI"};
constexpr std::string_view kStatuses[] = {"shipped", "pending", "packed", "returned", "on_hold"};
constexpr std::string_view kLevels[] = {"INFO", "INFO", "INFO", "WARN", "DEBUG"};
constexpr std::string_view kServices[] = {"api", "worker", "scheduler", "indexer", "thumbnailer"};
constexpr std::string_view kLogMessages[] = {"request completed", "cache miss", "retrying upload",
                                             "job finished", "queue drained", "connection pool resized"};

constexpr std::string_view kMarkings[] = {
    "TOP SECRET//NOFORN", "SECRET//REL TO USA, FVEY", "社外秘", "【取扱注意】",
    "極秘",               "CONFIDENTIAL",             "Internal Use Only", "特定秘密",
};
constexpr std::string_view kNames[] = {"taro.yamada", "hanako.sato", "j.smith", "k.tanaka", "m.garcia",
                                       "yuki.ito"};
constexpr std::string_view kDomains[] = {"example.co.jp", "example.com", "mail.example.org", "corp.example.net"};

template <typename T, size_t N>
std::string_view Pick(Rng& rng, const T (&list)[N]) {
  return list[rng.Below(N)];
}

void AppendDigits(Rng& rng, std::string& out, int n, bool nonzero_first = false) {
  for (int i = 0; i < n; ++i) {
    out += static_cast<char>('0' + (i == 0 && nonzero_first ? 1 + rng.Below(9) : rng.Below(10)));
  }
}

// A 16-digit Visa number with a correct Luhn digit, in groups of four.
std::string CardNumber(Rng& rng) {
  std::array<int, 16> d{};
  d[0] = 4;
  for (int i = 1; i < 15; ++i) d[i] = static_cast<int>(rng.Below(10));
  int sum = 0;
  for (int i = 14; i >= 0; --i) {  // doubling every second digit from the check digit leftwards
    int v = d[i];
    if ((14 - i) % 2 == 0) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  d[15] = (10 - sum % 10) % 10;
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i && i % 4 == 0) s += ' ';
    s += static_cast<char>('0' + d[i]);
  }
  return s;
}

// A 12-digit My Number with its check digit (see match/validators.cc).
std::string MyNumber(Rng& rng) {
  std::array<int, 12> d{};
  for (int i = 0; i < 11; ++i) d[i] = static_cast<int>(rng.Below(10));
  d[0] = 1 + static_cast<int>(rng.Below(9));
  int sum = 0;
  for (int n = 1; n <= 11; ++n) sum += d[11 - n] * (n <= 6 ? n + 1 : n - 5);
  int r = sum % 11;
  d[11] = r <= 1 ? 0 : 11 - r;
  std::string s;
  for (int i = 0; i < 12; ++i) {
    if (i && i % 4 == 0) s += ' ';
    s += static_cast<char>('0' + d[i]);
  }
  return s;
}

std::string AwsKeyId(Rng& rng) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string s = "AKIA";
  for (int i = 0; i < 16; ++i) s += kAlphabet[rng.Below(kAlphabet.size())];
  return s;
}

class Generator {
 public:
  Generator(Mix mix, uint64_t seed) : mix_(mix), rng_(seed) {
    // Mean spacing of sensitive items in bytes.
    spacing_ = mix == Mix::kDense ? 200 : (size_t{1} << 20) / 20;
    next_item_ = mix == Mix::kClean ? SIZE_MAX : rng_.Between(spacing_ / 2, spacing_ * 3 / 2) / 2;
  }

  std::string Run(size_t bytes, CorpusStats* stats, int only = -1) {
    out_.reserve(bytes + 4096);
    while (out_.size() < bytes) {
      int kind = only >= 0 ? only : NextKind();
      size_t before = out_.size();
      switch (kind) {
        case 0: EnglishParagraph(); break;
        case 1: JapaneseParagraph(); break;
        default: TableBlock(); break;
      }
      (kind == 0 ? stats_.english_bytes : kind == 1 ? stats_.japanese_bytes : stats_.table_bytes) +=
          out_.size() - before;
    }
    // Cut at a character boundary.
    size_t cut = bytes;
    while (cut > 0 && cut < out_.size() && (static_cast<unsigned char>(out_[cut]) & 0xC0) == 0x80) --cut;
    out_.resize(cut);
    if (stats) *stats = stats_;
    return std::move(out_);
  }

 private:
  // The block kind furthest below its share of the bytes written so far.
  int NextKind() {
    double total = static_cast<double>(stats_.english_bytes + stats_.japanese_bytes + stats_.table_bytes) + 1.0;
    double deficit[3] = {0.70 * total - static_cast<double>(stats_.english_bytes),
                         0.20 * total - static_cast<double>(stats_.japanese_bytes),
                         0.10 * total - static_cast<double>(stats_.table_bytes)};
    // A little randomness so that blocks do not come in a fixed cycle.
    for (double& d : deficit) d += static_cast<double>(rng_.Below(200));
    return static_cast<int>(std::max_element(deficit, deficit + 3) - deficit);
  }

  enum class Where { kEnglish, kJapanese, kTable };

  // After each sentence or line: a sensitive item, when one is due. Among
  // CSV and log lines, an item takes a line of its own.
  void MaybeItem(Where where) {
    if (out_.size() < next_item_) return;
    const size_t start = out_.size();
    const bool japanese = where == Where::kJapanese;
    next_item_ = out_.size() + rng_.Between(spacing_ / 2, spacing_ * 3 / 2);
    ++stats_.items;
    switch (rng_.Below(6)) {
      case 0:  // a marking on a line of its own
        out_ += '\n';
        out_ += Pick(rng_, kMarkings);
        out_ += '\n';
        column_ = 0;
        break;
      case 1:
        out_ += japanese ? "カード番号は" : " The card number is ";
        out_ += CardNumber(rng_);
        out_ += japanese ? "です。" : ", expiry 08/27.";
        break;
      case 2:
        out_ += japanese ? "個人番号: " : " 個人番号: ";
        out_ += MyNumber(rng_);
        out_ += japanese ? "。" : ".";
        break;
      case 3:
        out_ += japanese ? "連絡先は" : " Please write to ";
        out_ += Pick(rng_, kNames);
        out_ += '@';
        out_ += Pick(rng_, kDomains);
        out_ += japanese ? "です。" : " with questions.";
        break;
      case 4: {
        out_ += japanese ? "サーバは" : " The build host answers at ";
        char ip[32];
        std::snprintf(ip, sizeof ip, "10.%zu.%zu.%zu", rng_.Below(256), rng_.Below(256), 1 + rng_.Below(254));
        out_ += ip;
        out_ += japanese ? "です。" : ".";
        break;
      }
      default:
        out_ += "\naws_access_key_id = ";
        out_ += AwsKeyId(rng_);
        out_ += '\n';
        column_ = 0;
        break;
    }
    if (out_.back() == '\n') return;
    if (where == Where::kTable) {
      if (out_[start] == ' ') out_.erase(start, 1);
      out_ += '\n';
    } else {
      column_ += out_.size() - start;
    }
  }

  // Prose wrapped at about 100 columns, paragraphs apart.
  void EnglishParagraph() {
    size_t sentences = rng_.Between(3, 7);
    column_ = 0;
    for (size_t s = 0; s < sentences; ++s) {
      size_t words = rng_.Between(8, 20);
      for (size_t w = 0; w < words; ++w) {
        std::string word(Pick(rng_, kEnglishWords));
        if (w == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
        if (w + 1 == words) word += '.';
        else if (w > 2 && rng_.Percent(8)) word += ',';
        if (column_ > 0 && column_ + 1 + word.size() > 100) {
          out_ += '\n';
          column_ = 0;
        } else if (column_ > 0) {
          out_ += ' ';
          ++column_;
        }
        out_ += word;
        column_ += word.size();
      }
      MaybeItem(Where::kEnglish);
    }
    out_ += "\n\n";
    column_ = 0;
  }

  // A paragraph on one line, as Japanese text is usually written.
  void JapaneseParagraph() {
    size_t sentences = rng_.Between(2, 5);
    for (size_t s = 0; s < sentences; ++s) {
      if (rng_.Percent(30)) out_ += Pick(rng_, kJapaneseDates);
      out_ += Pick(rng_, kJapaneseSubjects);
      out_ += "、";
      if (rng_.Percent(70)) out_ += Pick(rng_, kJapaneseMiddles);
      out_ += Pick(rng_, kJapaneseEnds);
      out_ += "。";
      MaybeItem(Where::kJapanese);
    }
    out_ += "\n\n";
    column_ = 0;
  }

  void Timestamp(std::string& s) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "2024-%02zu-%02zuT%02zu:%02zu:%02zu", 1 + rng_.Below(12), 1 + rng_.Below(28),
                  rng_.Below(24), rng_.Below(60), rng_.Below(60));
    s += buf;
  }

  // CSV rows under their header, or log lines.
  void TableBlock() {
    size_t lines = rng_.Between(4, 10);
    bool csv = rng_.Percent(50);
    if (csv) out_ += "order_id,sku,qty,warehouse,status,updated_at\n";
    for (size_t i = 0; i < lines; ++i) {
      std::string line;
      if (csv) {
        AppendDigits(rng_, line, 6, true);
        line += ",SKU-";
        for (int k = 0; k < 4; ++k) line += static_cast<char>('A' + rng_.Below(26));
        line += '-';
        AppendDigits(rng_, line, 2);
        line += ',' + std::to_string(1 + rng_.Below(99)) + ',';
        line += Pick(rng_, kSkuWarehouses);
        line += ',';
        line += Pick(rng_, kStatuses);
        line += ',';
        Timestamp(line);
        line += 'Z';
      } else {
        Timestamp(line);
        line += '.' + std::to_string(100 + rng_.Below(900)) + "Z ";
        line += Pick(rng_, kLevels);
        line += ' ';
        line += Pick(rng_, kServices);
        line += '[' + std::to_string(1000 + rng_.Below(9000)) + "]: ";
        line += Pick(rng_, kLogMessages);
        line += " took=" + std::to_string(1 + rng_.Below(900)) + "ms req=";
        static constexpr std::string_view kHex = "0123456789abcdef";
        for (int k = 0; k < 8; ++k) line += kHex[rng_.Below(16)];
      }
      out_ += line;
      out_ += '\n';
      column_ = 0;
      MaybeItem(Where::kTable);
    }
    out_ += '\n';
  }

  Mix mix_;
  Rng rng_;
  std::string out_;
  CorpusStats stats_;
  size_t spacing_;
  size_t next_item_;
  size_t column_ = 0;
};

}  // namespace

std::string_view MixName(Mix mix) {
  switch (mix) {
    case Mix::kMixed: return "mixed";
    case Mix::kClean: return "clean";
    case Mix::kDense: return "dense";
  }
  return "?";
}

std::string GenerateCorpus(Mix mix, size_t bytes, uint64_t seed, CorpusStats* stats) {
  return Generator(mix, seed).Run(bytes, stats);
}

std::string GenerateJapanese(size_t bytes, uint64_t seed) {
  return Generator(Mix::kClean, seed ^ 0x4A41).Run(bytes, nullptr, 1);
}

std::string GenerateEnglish(size_t bytes, uint64_t seed) {
  return Generator(Mix::kClean, seed ^ 0x454E).Run(bytes, nullptr, 0);
}

}  // namespace kimitsu::bench
