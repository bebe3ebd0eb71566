# Writes OUT, a C++ file defining the default policy text read from IN.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
"// Generated from policies/default.yaml by lib/policy/embed.cmake. Do not edit.\n"
"#include \"policy/default_policy.h\"\n"
"namespace kimitsu::policy {\n"
"namespace {\nconst unsigned char kText[] = {\n${bytes}0x00};\n}\n"
"std::string_view DefaultPolicyText() { return {reinterpret_cast<const char*>(kText), sizeof(kText) - 1}; }\n"
"}  // namespace kimitsu::policy\n")
file(RENAME "${OUT}.tmp" "${OUT}")
