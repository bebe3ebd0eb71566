# Writes OUT, a C++ file defining kimitsu_cli::DefaultPolicyText() with the
# bytes of IN (policies/default.yaml).
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
"// Generated from policies/default.yaml by examples/cli/embed_policy.cmake. Do not edit.\n"
"#include \"default_policy_text.h\"\n"
"namespace kimitsu_cli {\n"
"namespace {\nconst unsigned char kText[] = {\n${bytes}0x00};\n}  // namespace\n"
"std::string_view DefaultPolicyText() { return {reinterpret_cast<const char*>(kText), sizeof(kText) - 1}; }\n"
"}  // namespace kimitsu_cli\n")
file(RENAME "${OUT}.tmp" "${OUT}")
