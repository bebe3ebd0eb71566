// Credential validators (secret_assignment, user_password_pair, token_value,
// aws_key, jwt) and the default policy's secret rules on short documents.
// Every token here is made up for these tests.
#include "match/secret_validators.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "match/compiled_policy.h"
#include "default_policy_fixture.h"
#include "match/scanner.h"
#include "match/validators.h"
#include "policy/default_policy.h"
#include "policy/loader.h"

namespace kimitsu::match {
namespace {

bool Valid(std::string_view name, std::string_view candidate) {
  const ValidatorInfo* v = FindValidator(name);
  EXPECT_NE(v, nullptr) << name;
  return v != nullptr && v->fn(candidate);
}

TEST(ShannonEntropyTest, MeasuresBitsPerCharacter) {
  EXPECT_DOUBLE_EQ(ShannonEntropy(""), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abab"), 1.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcdefgh"), 3.0);
  EXPECT_GT(ShannonEntropy("Vq7Lr2Xw9Tk4Zm8Np3Hs6Jd1"), 4.0);
}

TEST(SecretAssignmentTest, AcceptsLiteralSecretsInCodeAndConfig) {
  for (std::string_view s : {
           "password = \"Tr0ub4dor&3x\"",
           "DB_PASSWORD=Kx9!vR2#mQ7z",
           "db_pass: 'Hq8Zr2Vt6Wy1'",
           "\"client_secret\": \"b7f3c9e1a2d84f6b9c0e5a7d3f1b2c4e\"",
           "apiKey := \"Vq7Lr2Xw9Tk4Zm8Np3Hs\"",
           "my_password_backup => 'Lp4Ns7Qw2Er5'",
           "secret(\"Zk3mQ8wR2tY7uV1x\")",
           "\"api_token\", \"0c6f1e2a-7b3d-4e59-9a81-d2c4b6f8e013\"",
           "secret[32] = \"Wm5Rt8Yq2Ux6Io9P\"",  // as the rule reads char secret[32] = …
           "password \"Tr0ub4dor&3x\"",
           "--password Tz8#pL2qW9x",
           "password = \"correct horse battery staple\"",
           "Authorization: Bearer Zk3mQ8wR2tY7uV1xB5nC9dF4gH6jL0pA",
           "X-Service-ApiKey: 4c1d9e7a-2b6f-4a83-b5e0-9f3c7d1a8e26",
           "sessionToken = 9f3K2mQx7Lw4Rt8Vz1Np",
           "signing_key = \"k3J9xQ2mV7pL4wR8tZ6yB1nC5\"",
           "パスワード:Sakura2024!",
           "\"Tr0ub4dor&3x\" == admin_password",
       }) {
    EXPECT_TRUE(IsSecretAssignment(s)) << s;
  }
}

TEST(SecretAssignmentTest, RejectsPlaceholdersAndVariables) {
  for (std::string_view s : {
           "password = \"\"",
           "password: changeme",
           "password = \"<your-password>\"",
           "password: ${DB_PASSWORD}",
           "token: $API_TOKEN",
           "api_key = \"{{ api_key }}\"",
           "secret = \"xxxxxxxxxxxxxxxx\"",
           "password: ********",
           "api_key = \"your_api_key_here\"",
           "password = \"not-a-fake-one\"",
           "client_secret: REPLACE_WITH_SECRET",
           "password: !vault |",
           "password = %DB_PASS%",
           "token = \"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"",
       }) {
    EXPECT_FALSE(IsSecretAssignment(s)) << s;
  }
}

TEST(SecretAssignmentTest, RejectsCodeNamesUrlsAndPaths) {
  for (std::string_view s : {
           "password = user.password",
           "token = get_token()",
           "secret = os.environ[\"SECRET\"]",
           "password: real_value",
           "password = required",
           "api_key_url = \"https://api.example.net/v2/keys\"",
           "key_file = \"/etc/ssl/private/server.pem\"",
           "ssl_key: server-cert.pem",
           "token_type = \"Bearer\"",
           "password(credentialsId: build_user)",
       }) {
    EXPECT_FALSE(IsSecretAssignment(s)) << s;
  }
}

TEST(SecretAssignmentTest, ReadsTheKeyWordByWord) {
  // The same random value under keys that name something else.
  for (std::string_view key : {"credentials_id", "tokenUrl", "secret_length", "LLM_SECRET_NAME", "public_key",
                               "csrf_token", "next_page_token", "keyVaultName", "accessor", "monkey",
                               "keyboard", "author", "secretary", "max_tokens", "X-Auth-Source"}) {
    std::string s = std::string(key) + " = \"Vq7Lr2Xw9Tk4Zm8Np3Hs6Jd1\"";
    EXPECT_FALSE(IsSecretAssignment(s)) << s;
  }
  for (std::string_view key : {"password", "genericToken", "AWSToken", "api_key", "X-Api-Key", "bot_token2",
                               "CLIENT_SECRET", "dbPassword", "user_auth", "credentials", "privateKey"}) {
    std::string s = std::string(key) + " = \"Vq7Lr2Xw9Tk4Zm8Np3Hs6Jd1\"";
    EXPECT_TRUE(IsSecretAssignment(s)) << s;
  }
}

TEST(SecretAssignmentTest, WeakKeysNeedRandomValues) {
  // "key" alone names many things: the value must look random.
  EXPECT_TRUE(IsSecretAssignment("key = \"Vq7Lr2Xw9Tk4Zm8Np3Hs6Jd1\""));
  EXPECT_FALSE(IsSecretAssignment("key = \"settings.display.v2_theme\""));
  EXPECT_FALSE(IsSecretAssignment("key = \"SalesReport-2024\""));
  EXPECT_FALSE(IsSecretAssignment("sortKey = \"Vq7Lr2Xw9Tk4Zm8Np3Hs6Jd1\""));
  // A token needs some randomness, 16 hex digits included.
  EXPECT_TRUE(IsSecretAssignment("Token: 7c2e9a41b5d08f36"));
  EXPECT_FALSE(IsSecretAssignment("token: abcabcab"));
  EXPECT_FALSE(IsSecretAssignment("auth_token = lib-widget-1.4.2"));
}

TEST(SecretAssignmentTest, SeparatorsThatNeedQuotes) {
  EXPECT_FALSE(IsSecretAssignment("password Tr0ub4dor&3x"));         // prose-like without quotes
  EXPECT_FALSE(IsSecretAssignment("secret(Tr0ub4dor3x)"));
  EXPECT_FALSE(IsSecretAssignment("api_token, Tr0ub4dor3x"));
  EXPECT_FALSE(IsSecretAssignment("password \"Tr0ub4dor&3x'"));      // unbalanced quotes
  EXPECT_FALSE(IsSecretAssignment("password. `openssl rand -hex 16`"));
  EXPECT_FALSE(IsSecretAssignment("password: not a literal value"));  // words without quotes
}

TEST(UserPasswordPairTest, AcceptsRealLookingPasswords) {
  for (std::string_view s : {"deploy:Wq8zN3kP7tRx", "'ops:Hq8Zr2Vt6W'", "\"svc.user@example.org:kL9#mN2$pQ\"",
                             "admin:'Tz8pL2qW9x'", "\":Zk3mQ8wR2tY7\"", "Vq7Lr2Xw9Tk4Zm8N:"}) {
    EXPECT_TRUE(IsUserPasswordPair(s)) << s;
  }
}

TEST(UserPasswordPairTest, RejectsPlaceholdersAndUsersAlone) {
  for (std::string_view s : {"admin", "user:pass", "test:test", "$USER:$PASS", "\"${USERNAME}:${PASSWORD}\"",
                             "<user:password>", "neo4j:[PASSWORD]", "\":\"", "xxx:yyy", "username:password",
                             "\"$(cat user.txt):$(cat pass.txt)\""}) {
    EXPECT_FALSE(IsUserPasswordPair(s)) << s;
  }
}

TEST(TokenValueTest, RejectsPlaceholdersInTheTokensShape) {
  EXPECT_TRUE(Valid("token_value", "ghp_Q7v2Lr9Xw4Tk8Zm3Np6Hs1Jd5Fg0Bc2Vn7Mq"));
  EXPECT_TRUE(Valid("token_value", "xoxb-210987654321-123456789012-Rk3mQ8wR2tY7uV1xB5nC9dF4"));
  EXPECT_FALSE(Valid("token_value", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  EXPECT_FALSE(Valid("token_value", "xoxb-000000000000-XXXXXXXXXXXXXXXXXXXXXXXX"));
  EXPECT_FALSE(Valid("token_value", "short"));
}

TEST(AwsKeyTest, RejectsDocumentationExamples) {
  EXPECT_TRUE(Valid("aws_key", "AKIA2QX7LR9WT4KZ8MNP"));
  EXPECT_FALSE(Valid("aws_key", "AKIAIOSFODNN7EXAMPLE"));
  EXPECT_FALSE(Valid("aws_key", "AKIAZZZZZZZZZZZZZZZZ"));
  EXPECT_TRUE(Valid("aws_key", "q7Vr2Lw9/Xt4Kz8MnP3hS6jD1fG0bC5vN7mQ2rT8"));
  EXPECT_FALSE(Valid("aws_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
}

TEST(JwtTest, DecodesHeaderAndPayload) {
  // {"alg":"HS256","typ":"JWT"} . {"sub":"kimitsu-unit-test","iat":1700000000}
  constexpr std::string_view kHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
  constexpr std::string_view kPayload = "eyJzdWIiOiJraW1pdHN1LXVuaXQtdGVzdCIsImlhdCI6MTcwMDAwMDAwMH0";
  const std::string token = std::string(kHeader) + "." + std::string(kPayload);
  EXPECT_TRUE(IsJwt(token + ".q7Vr2Lw9Xt4Kz8MnP3hS6jD1fG0bC5vN7mQ2rT8aE"));
  EXPECT_TRUE(IsJwt(token + "."));  // alg none: empty signature
  EXPECT_TRUE(IsJwt(token));        // no signature part
  EXPECT_FALSE(IsJwt(kHeader));
  // "not json at all, just text" as a header; a header cut short of its '}'.
  EXPECT_FALSE(IsJwt("bm90IGpzb24gYXQgYWxsLCBqdXN0IHRleHQ." + std::string(kPayload)));
  EXPECT_FALSE(IsJwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ." + std::string(kPayload)));
  EXPECT_FALSE(IsJwt(std::string(kHeader) + ".eyJ!!!!.sig"));
}

// ---------------------------------------------------------------------------
// The default policy's secret rules on short documents.

class DefaultPolicySecretsTest : public DefaultPolicyFixture {};

TEST_F(DefaultPolicySecretsTest, RealCredentialsAreProtected) {
  for (std::string_view doc : {
           "# .env\nDATABASE_PASSWORD=Kx9!vR2#mQ7zLp\n",
           "curl -s -u deploy:Wq8zN3kP7tRx https://registry.internal/v2/\n",
           "curl -H \"Authorization: Bearer Zk3mQ8wR2tY7uV1xB5nC9dF4gH6jL0pA\" https://api.internal/\n",
           "slack:\n  bot: xoxb-210987654321-123456789012-Rk3mQ8wR2tY7uV1xB5nC9dF4\n",
           "-----BEGIN OPENSSH PRIVATE KEY-----\n"
           "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
           "-----END OPENSSH PRIVATE KEY-----\n",
           "{\"key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7\\n\"}\n",
       }) {
    EXPECT_EQ(TierOf(doc), "protected") << doc;
  }
}

TEST_F(DefaultPolicySecretsTest, PlaceholdersAndProseArePublic) {
  for (std::string_view doc : {
           "admin:\n  password: changeme   # CHANGE THIS\nsmtp:\n  password: <your-smtp-password>\n",
           "token: ${WEBHOOK_TOKEN}\naws_access_key_id: AKIAIOSFODNN7EXAMPLE\n",
           "Use a long random admin password. `openssl rand -base64 24` is fine.\n",
           "Your password must contain at least 8 characters, including numbers.\n",
           "To authenticate, send the token as a header: Authorization: Bearer <token>.\n",
           "-----BEGIN RSA PRIVATE KEY-----\n(key removed)\n-----END RSA PRIVATE KEY-----\n",
           "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
           "The tokenizer splits text: keyword = value pairs are read from settings.py.\n",
       }) {
    EXPECT_EQ(TierOf(doc), "public") << doc;
  }
}

TEST_F(DefaultPolicySecretsTest, JwtNeedsJsonInside) {
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJraW1pdHN1LXVuaXQtdGVzdCIsImlhdCI6MTcwMDAwMDAwMH0."
      "q7Vr2Lw9Xt4Kz8MnP3hS6jD1fG0bC5vN7mQ2rT8aE";
  EXPECT_EQ(RulesOf("session " + jwt + "\n").count("jwt"), 1u);
  EXPECT_EQ(RulesOf("eyJub3QganNvbiBhdCBhbGw.eyJub3QganNvbiBhdCBhbGw.abc\n").count("jwt"), 0u);
}

}  // namespace
}  // namespace kimitsu::match
