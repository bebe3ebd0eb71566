// Binary input with the default policy: noise (random bytes, the body of an
// executable, an image) makes no findings, while real strings inside binary
// data — a key in an executable, a marking or a My Number in a database
// file, the text stream of a .doc, UTF-16LE strings of a Windows program —
// are found, at their offsets in the input. Inputs are generated here from
// fixed seeds; nothing binary is checked in.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "default_policy_fixture.h"

namespace kimitsu::match {
namespace {

// `n` bytes of noise, a share `nul_percent` of them NUL (compressed data has
// almost none, machine code and tables many).
std::string Noise(size_t n, uint64_t seed, unsigned nul_percent = 0) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) {
    uint64_t v = rng();
    c = (v >> 32) % 100 < nul_percent ? '\0' : static_cast<char>(v & 0xFF);
  }
  return s;
}

std::string Wide(std::string_view ascii) {
  std::string w;
  for (char c : ascii) w.append({c, '\0'});
  return w;
}

// Puts `bytes` into `s` at `at`, returning `at`.
size_t Put(std::string& s, size_t at, std::string_view bytes) {
  s.replace(at, bytes.size(), bytes);
  return at;
}

// An ELF executable's shape: a header, machine code, and a string table of
// the kind every program has (symbols, messages, prompts, option names).
std::string ElfLike(size_t n, uint64_t seed) {
  std::string s = Noise(n, seed, 20);
  Put(s, 0, std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3E\0\x01\0\0\0", 24));
  std::string strtab;
  for (const char* str : {"malloc", "free", "__libc_start_main", "GLIBC_2.34", ".rodata", "usage: %s [OPTION]... FILE",
                          "Enter password: ", "password: ", "internal-only", "RESTRICTED", "gateway", "DMZ", "DOB",
                          "token", "key=%s", "secret", "auth", "TOP SECRET", "Confidential"}) {
    strtab += str;
    strtab += '\0';
  }
  for (size_t at = n / 3; at + strtab.size() < n; at += n / 3) Put(s, at, strtab);
  return s;
}

// A PNG's shape: signature, IHDR, one large IDAT of compressed (random) data, IEND.
std::string PngLike(size_t n, uint64_t seed) {
  std::string s = Noise(n, seed);
  Put(s, 0, std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\x04\0\0\0\x03\0\x08\x06\0\0\0", 29));
  Put(s, n - 12, std::string("\0\0\0\0IEND\xAE\x42\x60\x82", 12));
  return s;
}

class BinaryInputTest : public DefaultPolicyFixture {
 protected:
  std::string Tier(const ScanResult& r) { return policy_->spec().tiers[r.tier].id; }
  // The first finding of `rule`, or nullptr.
  const Finding* FindingOf(const ScanResult& r, std::string_view rule) {
    for (const Finding& f : r.findings) {
      if (RuleOf(f) == rule) return &f;
    }
    return nullptr;
  }
};

TEST_F(BinaryInputTest, SeededRandomBytesArePublicWithoutFindings) {
  // Before text runs were required, 20 MB of /dev/urandom came out protected
  // (0.90) on chance hits of credential_assignment, "DOB", IPv6, "DMZ".
  // (20 MB of noise take half a minute: RE2 is slow on it. scripts/binary-sample
  // scans 30 MB of it.)
  for (size_t n : {size_t{4} << 10, size_t{64} << 10, size_t{1} << 20}) {
    for (uint64_t seed : {1, 2, 3}) {
      if (n == (size_t{1} << 20) && seed == 3) continue;  // (time under the sanitizers)
      ScanResult r = Scan(Noise(n, seed));
      // (A few KB of noise may still read as BOM-less UTF-16: detect.cc.)
      if (n >= (size_t{64} << 10)) {
        EXPECT_NE(r.flags & kBinaryInput, 0u) << n << " seed " << seed << " " << text::EncodingName(r.encoding);
      }
      EXPECT_EQ(Tier(r), "public") << n << " seed " << seed;
      EXPECT_EQ(r.total_findings, 0u) << n << " seed " << seed << ": " << (r.findings.empty() ? "" : RuleOf(r.findings[0]));
    }
  }
}

TEST_F(BinaryInputTest, ExecutableAndImageShapesArePublic) {
  for (uint64_t seed : {3, 4}) {
    ScanResult elf = Scan(ElfLike(1 << 20, seed));
    EXPECT_NE(elf.flags & kBinaryInput, 0u);
    EXPECT_EQ(Tier(elf), "public") << "seed " << seed;
    // Its strings are seen, but a marking word alone among a program's
    // strings ("TOP SECRET", "internal-only") is no banner.
    EXPECT_FALSE(elf.findings.empty());
    for (const Finding& f : elf.findings) EXPECT_EQ(f.placement, policy::Placement::kProse) << RuleOf(f);
    ScanResult png = Scan(PngLike(512 << 10, seed));
    EXPECT_NE(png.flags & kBinaryInput, 0u);
    EXPECT_EQ(Tier(png), "public") << "seed " << seed;
    EXPECT_EQ(png.total_findings, 0u);
  }
}

TEST_F(BinaryInputTest, ShortRunsOfTextAreNoiseButTheSameWordsInATextAreNot) {
  std::string bin = Noise(256 << 10, 5, 30);
  std::string words = "\x01" "DOB\x02" "DMZ VPN\x03" "VLAN\x04";
  for (size_t at = 1000; at + 100 < bin.size(); at += 20000) Put(bin, at, words);
  EXPECT_EQ(Scan(bin).total_findings, 0u);
  EXPECT_TRUE(RulesOf("Name: A. Smith\nDOB: 1990-01-01\n").count("personal_attributes"));
}

TEST_F(BinaryInputTest, PrivateKeyAndAwsKeyInAnExecutableAreFound) {
  std::string elf = ElfLike(1 << 20, 6);
  std::string key = "-----BEGIN RSA PRIVATE KEY-----\n";
  std::mt19937 rng(6);
  const std::string_view b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int line = 0; line < 4; ++line) {
    for (int i = 0; i < 64; ++i) key += b64[rng() % 64];
    key += '\n';
  }
  key += "-----END RSA PRIVATE KEY-----\n";
  size_t key_at = Put(elf, 300001, key);
  elf[key_at - 1] = elf[key_at + key.size()] = '\0';
  size_t aws_at = Put(elf, 700001, "AKIA2QX7LR9WT4KZ8MNP");
  elf[aws_at - 1] = elf[aws_at + 20] = '\0';

  ScanResult r = Scan(elf);
  EXPECT_NE(r.flags & kBinaryInput, 0u);
  EXPECT_EQ(Tier(r), "protected");
  const Finding* pem = FindingOf(r, "private_key");
  ASSERT_NE(pem, nullptr);
  EXPECT_EQ(pem->start, key_at);
  const Finding* aws = FindingOf(r, "aws_access_key");
  ASSERT_NE(aws, nullptr);
  EXPECT_EQ(aws->start, aws_at);
  EXPECT_EQ(aws->end, aws_at + 20);
}

// A SQLite database: a header, pages of integers and pointers, and records
// whose text cells are stored as they are.
TEST_F(BinaryInputTest, MarkingAndMyNumberInADatabaseFileAreFound) {
  std::string db = Noise(512 << 10, 7, 40);
  Put(db, 0, std::string("SQLite format 3\0\x10\0\x01\x01\0\x40\x20\x20", 24));
  // A memo cell with lines, a banner first: a marking.
  const std::string memo = "TOP SECRET//NOFORN\nOperation plan for the northern sector\nDistribution: J2 only\n";
  size_t memo_at = Put(db, 200003, std::string("\x05\x00\x21\x17", 4) + memo) + 4;
  db[memo_at + memo.size()] = '\0';
  // A person's row: name, 個人番号 cell, number.
  const std::string row = "山田太郎 個人番号: 123456789018";
  size_t row_at = Put(db, 300007, std::string("\x04\x00\x1F", 3) + row) + 3;
  db[row_at + row.size()] = '\0';

  ScanResult r = Scan(db);
  EXPECT_NE(r.flags & kBinaryInput, 0u);
  EXPECT_EQ(Tier(r), "designated_secret");
  const Finding* banner = nullptr;
  for (const Finding& f : r.findings) {
    if (f.tier == r.tier && f.start == memo_at) banner = &f;
  }
  ASSERT_NE(banner, nullptr);
  EXPECT_EQ(banner->placement, policy::Placement::kLine);
  const Finding* number = FindingOf(r, "jp_my_number_labeled");
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(number->start, row_at + row.size() - 12);
  EXPECT_GT(r.tier_scores[1], 0.5);  // protected too
}

TEST_F(BinaryInputTest, MarkingAloneAsAStringIsFoundButIsNoBanner) {
  std::string db = Noise(256 << 10, 8, 40);
  size_t at = Put(db, 100001, "TOP SECRET");
  db[at - 1] = db[at + 10] = '\0';
  ScanResult r = Scan(db);
  EXPECT_NE(Tier(r), "designated_secret");
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].start, at);
  EXPECT_EQ(r.findings[0].placement, policy::Placement::kProse);
}

// A Word 97-2003 .doc (OLE compound file) keeps its text uncompressed, one
// paragraph per line, ended by \r.
TEST_F(BinaryInputTest, MarkingInTheTextOfADocIsFound) {
  std::string doc = Noise(256 << 10, 9, 60);
  Put(doc, 0, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0", 16));
  const std::string text = "SECRET//REL TO USA, GBR\rMinutes of the meeting of 3 May\rThe committee agreed to proceed.\r";
  size_t at = Put(doc, 2048, text);
  doc[at + text.size()] = '\0';
  ScanResult r = Scan(doc);
  EXPECT_EQ(Tier(r), "designated_secret");
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].start, at);
}

// A Windows program keeps its strings in UTF-16LE.
TEST_F(BinaryInputTest, Utf16LeStringsOfAWindowsProgramAreFound) {
  std::string exe = Noise(1 << 20, 10, 25);
  Put(exe, 0, std::string("MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0", 16));
  const std::string key = Wide("AKIA2QX7LR9WT4KZ8MNP");
  // NUL-terminated, as in .rdata or a string table.
  size_t key_at = Put(exe, 400002, std::string(2, '\0') + key + std::string(2, '\0')) + 2;
  const std::string label = Wide("My Number: 123456789018");
  size_t label_at = Put(exe, 600002, std::string(2, '\0') + label + std::string(2, '\0')) + 2;

  ScanResult r = Scan(exe);
  EXPECT_NE(r.flags & kBinaryInput, 0u);
  EXPECT_EQ(Tier(r), "protected");
  const Finding* aws = FindingOf(r, "aws_access_key");
  ASSERT_NE(aws, nullptr);
  EXPECT_EQ(aws->start, key_at);
  EXPECT_EQ(aws->end, key_at + key.size());
  const Finding* number = FindingOf(r, "jp_my_number_labeled");
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(number->start, label_at + 2 * 11);
  EXPECT_EQ(number->end, label_at + label.size());

  // The same, streamed in pieces of any size.
  for (size_t piece : {size_t{1} << 16, size_t{4097}}) {
    ScanResult streamed;
    scanner_.Begin(*policy_, {}, &streamed);
    for (size_t off = 0; off < exe.size(); off += piece) {
      ASSERT_TRUE(scanner_.Write(std::string_view(exe).substr(off, piece)).ok());
    }
    ASSERT_TRUE(scanner_.Finish().ok());
    ASSERT_EQ(streamed.findings.size(), r.findings.size()) << piece;
    for (size_t i = 0; i < r.findings.size(); ++i) {
      EXPECT_EQ(streamed.findings[i].start, r.findings[i].start) << piece;
      EXPECT_EQ(streamed.findings[i].end, r.findings[i].end) << piece;
    }
    EXPECT_EQ(streamed.tier, r.tier);
  }
}

}  // namespace
}  // namespace kimitsu::match
