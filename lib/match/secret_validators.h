// Validators for credentials: they tell a live-looking secret from the
// placeholders, variables, code and prose that look like one. Registered by
// name in validators.cc (secret_assignment, user_password_pair, token_value,
// aws_key, jwt); declared here so that tests can reach the helpers.
//
// Like every validator they read NFKC UTF-8, never allocate and never throw.
#ifndef KIMITSU_MATCH_SECRET_VALIDATORS_H_
#define KIMITSU_MATCH_SECRET_VALIDATORS_H_

#include <string_view>

namespace kimitsu::match {

// Shannon entropy of the bytes of `s`, in bits per byte (0 for "").
// gitleaks and detect-secrets use this measure for "random enough";
// a 32-character random base62 token scores about 4.5-5, an English word 2-3.
double ShannonEntropy(std::string_view s);

// `key = value` (or `"value" == key`) where the key names a secret and the
// value looks like one. Forms: `password = "…"`, `api_key: …`, `"token": "…"`,
// `secret := …`, `pwd => …`, `--password …`, `secret("…")`,
// `GetEnv("api_token", "…")`, `Authorization: Bearer …`, `パスワード: …`.
// The key is read word by word (snake_case, camelCase, dotted, kebab): a
// secret word (password, secret, api key, credentials, token, auth, key…)
// not followed by a word that makes it a name of something else (…_id,
// …_url, …_file, …_length) nor preceded by one that makes it public
// (public_key, csrf_token, next_page_token). The value must be a literal:
// not a variable (`$X`, `${X}`, `{{ x }}`, `<your key>`), not a placeholder
// (changeme, xxxx, ****, example, dummy, fake), not code (`os.environ[…]`,
// `config.password`, `some_identifier`), not a URL, path or file name, and
// random enough for the key's strength: anything of 6+ characters for a
// password or secret, entropy >= 3 for a token, >= 3.5 with 16+ characters
// and a digit for a bare `key`.
bool IsSecretAssignment(std::string_view candidate);

// The `user:password` of `curl -u` / `--user` (quotes around either part or
// the whole allowed). The password must look like one; with an empty
// password the user part is the secret (API keys are passed that way).
bool IsUserPasswordPair(std::string_view candidate);

// A token of a known format (GitHub, Slack, Google…): rejects the
// placeholders written in the token's shape (ghp_xxxx…, xoxb-XXXX…,
// runs of one letter, alphabets, too few distinct characters).
bool IsTokenValue(std::string_view candidate);

// An AWS access key id or secret access key: token_value, and not one of the
// keys AWS documentation uses as examples (they end in EXAMPLE, EXAMPLEKEY).
bool IsAwsKey(std::string_view candidate);

// A JSON Web Token: base64url header and payload, each decoding to a JSON
// object ({…}); the signature may be empty (alg none) or missing.
bool IsJwt(std::string_view candidate);

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_SECRET_VALIDATORS_H_
