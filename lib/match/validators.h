// Candidate validators: after a pattern rule matches, a validator looks at
// the matched text and says whether it is a real instance of the value —
// a card number whose Luhn digit is right, an IBAN whose mod-97 check holds,
// a Japanese phone number of a length that exists. They turn "sixteen
// digits" into "a credit card number".
//
// The candidate is NFKC UTF-8 (full-width digits and hyphens are already
// ASCII). Each validator ignores the separators people really write inside
// the value (spaces and hyphens, including the Unicode dashes NFKC keeps,
// such as U+2010 and U+2212 and the katakana 'ー'; for IBAN spaces only),
// rejects any other character, and rejects wrong lengths. Validators never
// throw; none allocates but `phone` on "+" numbers (libphonenumber).
//
// The validators, by name:
//   luhn                 12–19 digits passing the Luhn check; not all one digit
//   credit_card          luhn, plus a known card brand's IIN prefix and length
//   jp_my_number         個人番号: 12 digits with its check digit
//   jp_corporate_number  法人番号: 13 digits whose first digit is the check digit
//   iban                 ISO 13616: known country, its length, mod-97 == 1
//                        (a candidate running past the country's length is
//                        cut there, at a separator)
//   us_ssn               SSN: 9 digits (3-2-4), area/group/serial as SSA assigns
//   ipv4                 dotted quad, octets 0–255, no leading zeros
//   ipv6                 RFC 4291 text form, "::" compression, embedded IPv4,
//                        zone and prefix length; "::" alone is not accepted
//   mac_address          EUI-48 as 6 pairs (: or -) or 3 quads (.), not
//                        all zeros or broadcast
//   crypto_wallet        Bitcoin address: Base58Check (P2PKH/P2SH) or
//                        Bech32/Bech32m (bc1...)
//   phone                a phone number valid in its country: +CC form for any
//                        country (libphonenumber), national form for JP and
//                        the NANP
//   jp_phone             Japanese phone number (landline, mobile/IP, toll-free)
//   jp_postal_code       〒NNN-NNNN, not 000-0000
//   secret_assignment, user_password_pair, token_value, aws_key, jwt,
//   secret_value         credentials: see match/secret_validators.h
#ifndef KIMITSU_MATCH_VALIDATORS_H_
#define KIMITSU_MATCH_VALIDATORS_H_

#include <cstddef>
#include <span>
#include <string_view>

namespace kimitsu::match {

// The length of the real instance at the start of `candidate`, the text a
// rule matched: candidate.size() when all of it is one, 0 when it is not
// one. A few validators accept a prefix (an IBAN followed by a word the
// pattern took in); the finding then ends there.
using ValidatorFn = size_t (*)(std::string_view candidate);

struct ValidatorInfo {
  std::string_view name;         // what policies write, e.g. "credit_card"
  ValidatorFn fn;
  std::string_view description;  // one line, for documentation and errors
};

// All validators, in one table: adding a validator is adding one row.
std::span<const ValidatorInfo> Validators();

// The validator with this name, or nullptr.
const ValidatorInfo* FindValidator(std::string_view name);

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_VALIDATORS_H_
