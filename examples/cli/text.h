// Small text helpers shared by the reports: UTF-8 validity, numbers, byte
// counts, and strings made safe to print on a terminal.
#ifndef KIMITSU_CLI_TEXT_H_
#define KIMITSU_CLI_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kimitsu_cli {

// Length of the well-formed UTF-8 sequence at s[i] (1-4), or 0 when the
// bytes there are not one (overlong forms, surrogates and values past
// U+10FFFF are not well-formed).
size_t Utf8SequenceLength(std::string_view s, size_t i);

bool IsValidUtf8(std::string_view s);

// `s` with every byte that is not part of a well-formed sequence replaced by
// U+FFFD, so that JSON and CSV output stay valid UTF-8.
std::string ToValidUtf8(std::string_view s);

// Lower-case hex of the bytes of `s`.
std::string Hex(std::string_view s);

// `s` made safe for a terminal: invalid bytes become U+FFFD, C0/C1 control
// characters (ESC, CR, BEL, ...) and DEL become \xNN, so a file name or an
// excerpt cannot move the cursor or change colours.
std::string TerminalSafe(std::string_view s);

// A score or confidence: fixed, two decimals ("0.95").
std::string Fixed(double value, int decimals = 2);

// A double in its shortest form that keeps 6 significant digits, for JSON
// ("0.95", "1", "0.123457"). Non-finite values give "null".
std::string JsonNumber(double value);

// "512 B", "12.3 KB", "4.56 MB", "1.20 GB" (powers of 1000).
std::string HumanBytes(uint64_t bytes);

// strerror(error), safe to call from any thread.
std::string ErrnoText(int error);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_TEXT_H_
