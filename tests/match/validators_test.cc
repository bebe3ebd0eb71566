#include "match/validators.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace kimitsu::match {
namespace {

// Runs the validator `name`, failing the test if there is none.
bool Valid(std::string_view name, std::string_view candidate) {
  const ValidatorInfo* v = FindValidator(name);
  EXPECT_NE(v, nullptr) << name;
  return v != nullptr && v->fn(candidate) == candidate.size();
}

// How much of `candidate` the validator accepts as the value (0: none).
size_t ValueLength(std::string_view name, std::string_view candidate) {
  const ValidatorInfo* v = FindValidator(name);
  EXPECT_NE(v, nullptr) << name;
  return v == nullptr ? 0 : v->fn(candidate);
}

TEST(ValidatorsTest, TableIsWellFormedAndFindable) {
  std::set<std::string_view> names;
  for (const ValidatorInfo& v : Validators()) {
    EXPECT_TRUE(names.insert(v.name).second) << "duplicate " << v.name;
    EXPECT_NE(v.fn, nullptr) << v.name;
    EXPECT_FALSE(v.description.empty()) << v.name;
    EXPECT_EQ(FindValidator(v.name), &v);
  }
  for (std::string_view name : {"luhn", "credit_card", "jp_my_number", "jp_corporate_number", "iban",
                                "us_ssn", "ipv4", "jp_phone", "jp_postal_code"}) {
    EXPECT_NE(FindValidator(name), nullptr) << name;
  }
  EXPECT_EQ(FindValidator(""), nullptr);
  EXPECT_EQ(FindValidator("nope"), nullptr);
  EXPECT_EQ(FindValidator("LUHN"), nullptr);
}

TEST(ValidatorsTest, EveryValidatorRejectsEmptyAndJunk) {
  for (const ValidatorInfo& v : Validators()) {
    EXPECT_FALSE(v.fn("")) << v.name;
    EXPECT_FALSE(v.fn(" ")) << v.name;
    EXPECT_FALSE(v.fn("-")) << v.name;
    EXPECT_FALSE(v.fn("abc")) << v.name;
    EXPECT_FALSE(v.fn(std::string_view("\0", 1))) << v.name;
  }
}

// Test card numbers published by payment providers for their sandboxes
// (Stripe "Testing" docs; PayPal/Braintree test card lists).
TEST(LuhnTest, AcceptsPublishedTestCardNumbers) {
  for (std::string_view pan : {"4111111111111111", "5555555555554444", "378282246310005",
                               "6011111111111117", "30569309025904", "3530111333300000",
                               "4222222222222", "371449635398431", "6011000990139424",
                               "5105105105105100"}) {
    EXPECT_TRUE(Valid("luhn", pan)) << pan;
  }
}

TEST(LuhnTest, IgnoresSpacesAndHyphens) {
  EXPECT_TRUE(Valid("luhn", "4111 1111 1111 1111"));
  EXPECT_TRUE(Valid("luhn", "4111-1111-1111-1111"));
  EXPECT_TRUE(Valid("luhn", "3782 822463 10005"));
  EXPECT_TRUE(Valid("luhn", "4111\xE2\x80\x90" "1111\xE2\x80\x90" "1111\xE2\x80\x90" "1111"));  // U+2010
  EXPECT_FALSE(Valid("luhn", "4111.1111.1111.1111"));
  EXPECT_FALSE(Valid("luhn", "4111/1111/1111/1111"));
  EXPECT_FALSE(Valid("luhn", "4111 1111 1111 111a"));
}

TEST(LuhnTest, RejectsWrongCheckDigitAndTransposition) {
  EXPECT_FALSE(Valid("luhn", "4111111111111112"));
  EXPECT_FALSE(Valid("luhn", "5555555555554445"));
  EXPECT_FALSE(Valid("luhn", "378282246310006"));
  EXPECT_FALSE(Valid("luhn", "3782822463100050"));  // one digit appended
}

TEST(LuhnTest, RejectsWrongLengths) {
  // Both pass the Luhn check; they are 11 and 20 digits.
  EXPECT_FALSE(Valid("luhn", "41111111112"));
  EXPECT_FALSE(Valid("luhn", "41111111111111111115"));
  EXPECT_FALSE(Valid("luhn", "0"));
}

TEST(LuhnTest, RejectsOneDigitRepeated) {
  // Both pass the Luhn check but are placeholders or masks.
  EXPECT_FALSE(Valid("luhn", "0000000000000000"));
  EXPECT_FALSE(Valid("luhn", "0000 0000 0000 0000"));
  EXPECT_FALSE(Valid("luhn", "8888888888888888"));
}

TEST(CreditCardTest, AcceptsPublishedTestCardsOfEveryBrand) {
  // Stripe and PayPal/Braintree test card numbers.
  EXPECT_TRUE(Valid("credit_card", "4111111111111111"));   // Visa 16
  EXPECT_TRUE(Valid("credit_card", "4222222222222"));      // Visa 13
  EXPECT_TRUE(Valid("credit_card", "5555555555554444"));   // Mastercard 51-55
  EXPECT_TRUE(Valid("credit_card", "2223003122003222"));   // Mastercard 2-series
  EXPECT_TRUE(Valid("credit_card", "378282246310005"));    // American Express 37
  EXPECT_TRUE(Valid("credit_card", "371449635398431"));    // American Express 37
  EXPECT_TRUE(Valid("credit_card", "6011111111111117"));   // Discover 6011
  EXPECT_TRUE(Valid("credit_card", "30569309025904"));     // Diners Club 305, 14 digits
  EXPECT_TRUE(Valid("credit_card", "36227206271667"));     // Diners Club 36, 14 digits
  EXPECT_TRUE(Valid("credit_card", "3056930009020004"));   // Diners Club 305, 16 digits
  EXPECT_TRUE(Valid("credit_card", "3530111333300000"));   // JCB
  EXPECT_TRUE(Valid("credit_card", "6200000000000005"));   // UnionPay
  EXPECT_TRUE(Valid("credit_card", "3782 822463 10005"));  // Amex as printed
}

TEST(CreditCardTest, AcceptsRangeEdgesAndLengths) {
  // Luhn check digits computed for these prefixes.
  EXPECT_TRUE(Valid("credit_card", "4111111111111111110"));  // Visa 19
  EXPECT_TRUE(Valid("credit_card", "6440000000000005"));     // Discover 644
}

TEST(CreditCardTest, RejectsLuhnValidNumbersOutsideKnownRanges) {
  // Each passes the Luhn check; prefix or length is wrong for every brand.
  EXPECT_FALSE(Valid("credit_card", "1234567812345670"));   // no network starts with 1
  EXPECT_FALSE(Valid("credit_card", "411111111111116"));    // Visa is not 15 digits
  EXPECT_FALSE(Valid("credit_card", "41111111111111113"));  // nor 17
  EXPECT_FALSE(Valid("credit_card", "3782822463100003"));   // Amex is 15 digits
  EXPECT_FALSE(Valid("credit_card", "2721000000000004"));   // past Mastercard 2720
  EXPECT_FALSE(Valid("credit_card", "3527111111111111"));   // before JCB 3528
  EXPECT_FALSE(Valid("credit_card", "6430000000000007"));   // before Discover 644
  EXPECT_FALSE(Valid("credit_card", "3056930902597"));      // Diners needs 14+
  EXPECT_FALSE(Valid("credit_card", "620000000000000"));    // UnionPay needs 16+
  EXPECT_FALSE(Valid("credit_card", "4111111111111112"));   // Luhn fails
}

// 個人番号. 123456789018 is the example commonly cited for the check digit
// defined by 平成26年総務省令第85号 第5条: Σ P_n·Q_n over 12345678901 from the
// right = 1·2 + 0·3 + 9·4 + 8·5 + 7·6 + 6·7 + 5·2 + 4·3 + 3·4 + 2·5 + 1·6
// = 212; 212 mod 11 = 3; check digit 11 − 3 = 8.
TEST(JpMyNumberTest, AcceptsValidNumbers) {
  EXPECT_TRUE(Valid("jp_my_number", "123456789018"));
  EXPECT_TRUE(Valid("jp_my_number", "1234 5678 9018"));
  EXPECT_TRUE(Valid("jp_my_number", "1234-5678-9018"));
  EXPECT_TRUE(Valid("jp_my_number", "1234\xE2\x88\x92" "5678\xE2\x88\x92" "9018"));  // U+2212
  EXPECT_TRUE(Valid("jp_my_number", "1234_5678_9018"));  // as database exports write it
  EXPECT_FALSE(Valid("jp_my_number", "1234_5678_9019"));
  EXPECT_FALSE(Valid("credit_card", "4111_1111_1111_1111"));  // underscores only in My Numbers
  // Computed by the same rule: r = 2, check 9; r = 1 and r = 0, check 0.
  EXPECT_TRUE(Valid("jp_my_number", "987654321093"));
  EXPECT_TRUE(Valid("jp_my_number", "200000000000"));
  EXPECT_TRUE(Valid("jp_my_number", "007919712710"));
}

TEST(JpMyNumberTest, RejectsWrongCheckDigitLengthAndPlaceholders) {
  for (char c = '0'; c <= '9'; ++c) {
    if (c == '8') continue;
    std::string s = "12345678901";
    s += c;
    EXPECT_FALSE(Valid("jp_my_number", s)) << s;
  }
  EXPECT_FALSE(Valid("jp_my_number", "213456789018"));   // transposed
  EXPECT_FALSE(Valid("jp_my_number", "12345678901"));    // 11 digits
  EXPECT_FALSE(Valid("jp_my_number", "1234567890180"));  // 13 digits
  EXPECT_FALSE(Valid("jp_my_number", "0123456789018"));  // 13 digits
  EXPECT_FALSE(Valid("jp_my_number", "000000000000"));   // passes the check; placeholder
  EXPECT_FALSE(Valid("jp_my_number", "1234.5678.9018"));
}

// 法人番号. 7000012050002 is 国税庁's own number (法人番号公表サイト):
// over 000012050002 from the right, Σ P_n·Q_n = 2·1 + 5·1 + 2·1 + 1·2 = 11,
// 11 mod 9 = 2, check digit 9 − 2 = 7. 1180301018771 is トヨタ自動車株式会社's
// (法人番号公表サイト): Σ = 53, 53 mod 9 = 8, check digit 1.
TEST(JpCorporateNumberTest, AcceptsPublishedNumbers) {
  EXPECT_TRUE(Valid("jp_corporate_number", "7000012050002"));
  EXPECT_TRUE(Valid("jp_corporate_number", "1180301018771"));
  EXPECT_TRUE(Valid("jp_corporate_number", "7 0000 1205 0002"));
  EXPECT_TRUE(Valid("jp_corporate_number", "7-0000-1205-0002"));
}

TEST(JpCorporateNumberTest, RejectsWrongCheckDigitLengthAndPlaceholders) {
  for (char c = '0'; c <= '9'; ++c) {
    if (c == '7') continue;
    std::string s(1, c);
    s += "000012050002";
    EXPECT_FALSE(Valid("jp_corporate_number", s)) << s;
  }
  EXPECT_FALSE(Valid("jp_corporate_number", "7000012050003"));    // body changed
  EXPECT_FALSE(Valid("jp_corporate_number", "000012050002"));     // 12 digits
  EXPECT_FALSE(Valid("jp_corporate_number", "70000120500020"));   // 14 digits
  EXPECT_FALSE(Valid("jp_corporate_number", "9999999999999"));    // passes; placeholder
  EXPECT_FALSE(Valid("jp_corporate_number", "0000000000000"));
}

// IBANs: GB82 WEST 1234 5698 7654 32 is the European Committee for Banking
// Standards' example (IBAN implementation guidelines); the others
// are the examples of the SWIFT IBAN Registry (ISO 13616).
TEST(IbanTest, AcceptsPublishedExamples) {
  for (std::string_view iban :
       {"GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
        "GB29NWBK60161331926819", "NL91ABNA0417164300", "BE68539007547034",
        "CH9300762011623852957", "AT611904300234573201", "IT60X0542811101000000123456",
        "ES9121000418450200051332", "NO9386011117947", "MT84MALT011000012345MTLCAST001S",
        "LC55HEMM000100010012001200023015"}) {
    EXPECT_TRUE(Valid("iban", iban)) << iban;
  }
}

TEST(IbanTest, AcceptsPrintedFormAndLowerCase) {
  EXPECT_TRUE(Valid("iban", "GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(Valid("iban", "FR14 2004 1010 0505 0001 3M02 606"));
  EXPECT_TRUE(Valid("iban", "de89 3704 0044 0532 0130 00"));
}

TEST(IbanTest, RejectsChangedCharacters) {
  EXPECT_FALSE(Valid("iban", "GB82WEST12345698765433"));  // last digit
  EXPECT_FALSE(Valid("iban", "GB83WEST12345698765432"));  // check digit
  EXPECT_FALSE(Valid("iban", "GB82WEST12345698765423"));  // transposed
  EXPECT_FALSE(Valid("iban", "DE89370400440532013001"));
  EXPECT_FALSE(Valid("iban", "FR1420041010050500013N02606"));  // letter
  EXPECT_FALSE(Valid("iban", "GB82_WEST_1234_5698_7654_32"));  // spaces or hyphens separate
  EXPECT_FALSE(Valid("iban", "GB82/WEST/1234/5698/7654/32"));
  EXPECT_FALSE(Valid("iban", "GB82WEST1234569876543_"));
}

TEST(IbanTest, AcceptsHyphensAndCutsAtTheCountrysLength) {
  EXPECT_TRUE(Valid("iban", "GB82-WEST-1234-5698-7654-32"));
  // The pattern took in a following word: the IBAN ends where GB's 22
  // characters end, at the separator.
  EXPECT_EQ(ValueLength("iban", "GB82 WEST 1234 5698 7654 32 X"), 27u);
  EXPECT_EQ(ValueLength("iban", "GB82WEST12345698765432 ALL"), 22u);
  // Running on without a separator is another string, not this IBAN.
  EXPECT_EQ(ValueLength("iban", "GB82WEST12345698765432X"), 0u);
  EXPECT_EQ(ValueLength("iban", "GB82 WEST 1234 5698 7654 3"), 0u);  // too short
}

TEST(IbanTest, RejectsWrongLengthUnknownCountryAndImpossibleCheckDigits) {
  // Check digits computed so that mod 97 holds; each is still not an IBAN.
  EXPECT_FALSE(Valid("iban", "DE543704004405320130001"));  // DE is 22, not 23
  EXPECT_FALSE(Valid("iban", "US88370400440532013000"));   // US has no IBAN
  // DE98... and DE97... are valid; 01 and 00 pass mod 97 too but are never issued.
  EXPECT_TRUE(Valid("iban", "DE98370400440000000042"));
  EXPECT_TRUE(Valid("iban", "DE97370400440000000060"));
  EXPECT_FALSE(Valid("iban", "DE01370400440000000042"));
  EXPECT_FALSE(Valid("iban", "DE00370400440000000060"));
  EXPECT_FALSE(Valid("iban", "GB82"));
  EXPECT_FALSE(Valid("iban", "8982WEST12345698765432"));
  EXPECT_FALSE(Valid("iban", "GBXXWEST12345698765432"));
}

// SSN rules: SSA, "Social Security Number Randomization"; the misused sample
// numbers: SSA history, "Social Security Cards Issued by Woolworth".
TEST(UsSsnTest, AcceptsStructurallyValidNumbers) {
  EXPECT_TRUE(Valid("us_ssn", "001-01-0001"));
  EXPECT_TRUE(Valid("us_ssn", "665-99-9999"));
  EXPECT_TRUE(Valid("us_ssn", "667-12-3456"));
  EXPECT_TRUE(Valid("us_ssn", "899-45-6789"));
  EXPECT_TRUE(Valid("us_ssn", "536221234"));
  EXPECT_TRUE(Valid("us_ssn", "536 22 1234"));
}

TEST(UsSsnTest, RejectsNumbersNeverAssigned) {
  EXPECT_FALSE(Valid("us_ssn", "000-12-3456"));
  EXPECT_FALSE(Valid("us_ssn", "666-12-3456"));
  EXPECT_FALSE(Valid("us_ssn", "900-12-3456"));
  EXPECT_FALSE(Valid("us_ssn", "999-12-3456"));
  EXPECT_FALSE(Valid("us_ssn", "536-00-1234"));
  EXPECT_FALSE(Valid("us_ssn", "536-22-0000"));
  EXPECT_FALSE(Valid("us_ssn", "078-05-1120"));
  EXPECT_FALSE(Valid("us_ssn", "078051120"));
  EXPECT_FALSE(Valid("us_ssn", "219-09-9999"));
  EXPECT_FALSE(Valid("us_ssn", "123-45-6789"));
  EXPECT_FALSE(Valid("us_ssn", "123456789"));
}

TEST(UsSsnTest, RejectsWrongShape) {
  EXPECT_FALSE(Valid("us_ssn", "536-221-234"));
  EXPECT_FALSE(Valid("us_ssn", "5362-2-1234"));
  EXPECT_FALSE(Valid("us_ssn", "536-22 1234"));  // mixed separators
  EXPECT_FALSE(Valid("us_ssn", "536-22-123"));
  EXPECT_FALSE(Valid("us_ssn", "53622123"));
  EXPECT_FALSE(Valid("us_ssn", "5362212345"));
  EXPECT_FALSE(Valid("us_ssn", "536-22-12345"));
  EXPECT_FALSE(Valid("us_ssn", "536.22-1234"));  // mixed separators
  EXPECT_FALSE(Valid("us_ssn", "536/22/1234"));
  EXPECT_FALSE(Valid("us_ssn", "53a-22-1234"));
  EXPECT_FALSE(Valid("us_ssn", "5362-21234"));   // 4-5 is no SSN grouping
  EXPECT_FALSE(Valid("us_ssn", "536 221234"));   // 3-6 only with a hyphen
}

TEST(UsSsnTest, AcceptsDotsAndTheReformattedGroupings) {
  EXPECT_TRUE(Valid("us_ssn", "536.22.1234"));
  EXPECT_TRUE(Valid("us_ssn", "536 22 1234"));
  EXPECT_TRUE(Valid("us_ssn", "536-221234"));
  EXPECT_TRUE(Valid("us_ssn", "53622-1234"));
  EXPECT_FALSE(Valid("us_ssn", "078-051120"));  // the Woolworth number, however written
  EXPECT_FALSE(Valid("us_ssn", "000-221234"));
}

TEST(Ipv6Test, AcceptsTheTextForms) {
  for (std::string_view a : {"2001:db8::1", "fe80::1", "::1", "2001:0db8:0000:0000:0000:ff00:0042:8329",
                             "2001:db8:85a3::8a2e:370:7334", "::ffff:192.0.2.128", "fe80::1%eth0",
                             "2001:db8::/32", "::1/128", "fe80::1%eth0/64", "1:2:3:4:5:6:7::"}) {
    EXPECT_TRUE(Valid("ipv6", a)) << a;
  }
}

TEST(Ipv6Test, RejectsWhatIsNotAnAddress) {
  for (std::string_view a : {"::", "::/0", "a::b", "dead::beef", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                             "1::2::3", ":1:2:3:4:5:6:7:8", "12345::1", "12:30:45", "::ffff:192.0.2.256",
                             "2001:db8::1%", "2001:db8::g"}) {
    EXPECT_FALSE(Valid("ipv6", a)) << a;
  }
  // A bad prefix length is left out; a full stop ends the sentence.
  EXPECT_EQ(ValueLength("ipv6", "2001:db8::/9999"), 10u);
  EXPECT_EQ(ValueLength("ipv6", "2001:db8::1."), 11u);
}

TEST(MacAddressTest, AcceptsTheThreeNotations) {
  EXPECT_TRUE(Valid("mac_address", "00:1A:2B:3C:4D:5E"));
  EXPECT_TRUE(Valid("mac_address", "0a-23-f5-67-89-ac"));
  EXPECT_TRUE(Valid("mac_address", "0012.3456.789a"));
}

TEST(MacAddressTest, RejectsMixedSeparatorsBroadcastAndZero) {
  EXPECT_FALSE(Valid("mac_address", "10:2F:33-AC-29-C3"));
  EXPECT_FALSE(Valid("mac_address", "FF:FF:FF:FF:FF:FF"));
  EXPECT_FALSE(Valid("mac_address", "00-00-00-00-00-00"));
  EXPECT_FALSE(Valid("mac_address", "ZZ:1A:2B:3C:4D:5E"));
  EXPECT_FALSE(Valid("mac_address", "00:1A:2B:3C:4D"));
  EXPECT_FALSE(Valid("mac_address", "0012:3456:789a"));
}

TEST(CryptoWalletTest, AcceptsValidBitcoinAddresses) {
  // Examples from BIP 173 / BIP 350 and the Bitcoin wiki.
  EXPECT_TRUE(Valid("crypto_wallet", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));  // P2PKH
  EXPECT_TRUE(Valid("crypto_wallet", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));  // P2SH
  EXPECT_TRUE(Valid("crypto_wallet", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));  // v0, bech32
  EXPECT_TRUE(Valid("crypto_wallet", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
  EXPECT_TRUE(Valid("crypto_wallet", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"));  // v1, bech32m
}

TEST(CryptoWalletTest, RejectsChangedCharactersAndWrongChecksumKinds) {
  EXPECT_FALSE(Valid("crypto_wallet", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"));
  EXPECT_FALSE(Valid("crypto_wallet", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2x"));
  EXPECT_FALSE(Valid("crypto_wallet", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
  EXPECT_FALSE(Valid("crypto_wallet", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7KV8F3T4"));  // mixed case
  // A version 1 program with a bech32 (not bech32m) checksum (BIP 350).
  EXPECT_FALSE(Valid("crypto_wallet", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx"));
  EXPECT_FALSE(Valid("crypto_wallet", "0000000000000000000000000000000000"));
}

TEST(PhoneTest, AcceptsNumbersValidInTheirCountry) {
  for (std::string_view n : {"+1 415 555 0132", "(415) 555-0132", "415-555-0132", "+44 (20) 7123 4567",
                             "+49 30 1234567", "+81 90-1234-5678", "03-1234-5678", "090-1234-5678",
                             "+33 1 42 68 53 00", "415.555.0132", "1 415 555 0132"}) {
    EXPECT_TRUE(Valid("phone", n)) << n;
  }
}

TEST(PhoneTest, RejectsNumbersNoCountryAssigns) {
  for (std::string_view n : {"+1 000 555 0132", "+999 1234 5678", "12345", "+81 12", "(000) 555-0132",
                             "0000000000", "415-911-0132", "(211) 555-0132", "2 415 555 0132", "415-555-013"}) {
    EXPECT_FALSE(Valid("phone", n)) << n;
  }
}

TEST(Ipv4Test, AcceptsAddresses) {
  for (std::string_view a : {"0.0.0.0", "255.255.255.255", "192.168.1.1", "10.0.0.1", "8.8.8.8",
                             "172.16.254.1", "1.2.3.4", "100.200.250.199"}) {
    EXPECT_TRUE(Valid("ipv4", a)) << a;
  }
}

TEST(Ipv4Test, RejectsNonAddresses) {
  for (std::string_view a :
       {"256.1.1.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.010", "1.2.3.00",
        "1..2.3", ".1.2.3", "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4", "1234.1.1.1",
        "1.2.3.4/24", "a.b.c.d", "1,2,3,4", "999.999.999.999"}) {
    EXPECT_FALSE(Valid("ipv4", a)) << a;
  }
}

// Shapes from 総務省's numbering plan (電気通信番号計画); the numbers are made up.
TEST(JpPhoneTest, AcceptsLandlinesAndTollFree) {
  for (std::string_view p :
       {"03-1234-5678", "0312345678", "03 1234 5678", "(03)1234-5678", "03(1234)5678",
        "(03) 1234-5678", "0123-45-6789", "06\xE2\x88\x92" "1234\xE2\x88\x92" "5678",  // U+2212
        "03\xE3\x83\xBC" "1234\xE3\x83\xBC" "5678",                                     // ー
        "0120-123-456", "0570-123-456", "0800-123-4567"}) {
    EXPECT_TRUE(Valid("jp_phone", p)) << p;
  }
}

TEST(JpPhoneTest, AcceptsMobileAndIp) {
  for (std::string_view p : {"090-1234-5678", "080 1234 5678", "07012345678", "050-1234-5678",
                             "020-1234-5678", "060-1234-5678"}) {
    EXPECT_TRUE(Valid("jp_phone", p)) << p;
  }
}

TEST(JpPhoneTest, AcceptsInternationalForm) {
  for (std::string_view p : {"+81-3-1234-5678", "+81 3 1234 5678", "+81312345678",
                             "+81 90 1234 5678", "+81-90-1234-5678", "+81 (0)3-1234-5678",
                             "+81-03-1234-5678", "+81 120-123-456"}) {
    EXPECT_TRUE(Valid("jp_phone", p)) << p;
  }
}

TEST(JpPhoneTest, RejectsWrongLengthsAndPrefixes) {
  for (std::string_view p :
       {"0012345678",      // 00 is the international prefix
        "1234567890",      // no leading 0
        "03-1234-567",     // 9 digits
        "03-1234-56789",   // landline is 10 digits
        "090-1234-567",    // mobile is 11 digits
        "090-1234-56789",  // 12 digits
        "0120-123-4567",   // 0120 is 10 digits
        "0800-123-456",    // 0800 is 11 digits
        "010-1234-5678",   // 010 is international access
        "030-1234-5678",   // 030 is unassigned
        "03.1234.5678", "03/1234/5678", "+1 212 555 1234", "+81", "+81-90-1234-567",
        "090-1234-567a"}) {
    EXPECT_FALSE(Valid("jp_phone", p)) << p;
  }
}

// 100-0001 is 東京都千代田区千代田 in 日本郵便's postal code data.
TEST(JpPostalCodeTest, AcceptsPostalCodes) {
  for (std::string_view p : {"100-0001", "1000001", "\xE3\x80\x92" "100-0001",   // 〒
                             "\xE3\x80\x92 100-0001", "\xE3\x80\x92" "1000001",
                             "100\xE2\x88\x92" "0001", "100\xE3\x83\xBC" "0001",  // − ー
                             "060-0000", "001-0010"}) {
    EXPECT_TRUE(Valid("jp_postal_code", p)) << p;
  }
}

TEST(JpPostalCodeTest, RejectsOtherShapes) {
  for (std::string_view p : {"000-0000", "0000000", "\xE3\x80\x92" "000-0000", "100-001",
                             "10-00001", "1000-001", "100 0001", "100--0001", "100-00011",
                             "10000011", "\xE3\x80\x92", "100-000a", "-100-0001", "100-0001-"}) {
    EXPECT_FALSE(Valid("jp_postal_code", p)) << p;
  }
}

}  // namespace
}  // namespace kimitsu::match
