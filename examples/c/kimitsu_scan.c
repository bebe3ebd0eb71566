/*
 * kimitsu_scan — a plain C99 consumer of the kimitsu C API.
 *
 *   kimitsu_scan [--policy FILE] FILE...
 *
 * Loads the built-in policy (or FILE), scans each file and prints its tier,
 * score, encoding and flags, then every finding with a masked excerpt.
 * Exit status: 0 all files scanned, 1 a file could not be read or scanned,
 * 2 usage or policy error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kimitsu/kimitsu.h"

/* Reads the whole file at `path` into a new buffer; NULL on failure (errno
 * says why). An empty file gives a valid buffer of length 0. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t size = 0, cap = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t n;
    if (size == cap) {
      size_t new_cap = cap ? cap * 2 : 64 * 1024;
      char *grown = realloc(data, new_cap);
      if (grown == NULL) {
        free(data);
        fclose(f);
        errno = ENOMEM;
        return NULL;
      }
      data = grown;
      cap = new_cap;
    }
    n = fread(data + size, 1, cap - size, f);
    size += n;
    if (n == 0) break;
  }
  if (ferror(f)) {
    int saved = errno ? errno : EIO;
    free(data);
    fclose(f);
    errno = saved;
    return NULL;
  }
  fclose(f);
  *len = size;
  return data;
}

static void print_flags(uint32_t flags) {
  static const struct {
    uint32_t bit;
    const char *name;
  } names[] = {
      {KIMITSU_RESULT_FINDINGS_TRUNCATED, "findings_truncated"},
      {KIMITSU_RESULT_LOSSY_DECODE, "lossy_decode"},
      {KIMITSU_RESULT_BINARY, "binary"},
      {KIMITSU_RESULT_ENGINE_LIMIT, "engine_limit"},
      {KIMITSU_RESULT_INPUT_TOO_LARGE, "input_too_large"},
      {KIMITSU_RESULT_INCOMPLETE, "incomplete"},
      {KIMITSU_RESULT_EXCERPTS_TRUNCATED, "excerpts_truncated"},
  };
  size_t i;
  int any = 0;
  printf("  flags:    ");
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (flags & names[i].bit) {
      printf("%s%s", any ? "," : "", names[i].name);
      any = 1;
    }
  }
  printf("%s\n", any ? "" : "none");
}

static void print_result(const char *path, const kimitsu_result *result) {
  size_t i, count = kimitsu_result_finding_count(result);

  printf("%s\n", path);
  printf("  tier:     %s\n", kimitsu_result_tier(result));
  printf("  score:    %.3f\n", kimitsu_result_score(result));
  printf("  encoding: %s\n", kimitsu_result_encoding(result));
  print_flags(kimitsu_result_flags(result));
  printf("  findings: %" PRIu64 "\n", kimitsu_result_total_findings(result));

  for (i = 0; i < count; i++) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    if (kimitsu_result_finding(result, i, &f) != KIMITSU_OK) continue;
    printf("    %s [%s] %s %" PRIu64 "-%" PRIu64 " conf=%.2f %s: %.*s\n", f.rule, f.entity[0] ? f.entity : "-",
           f.tier, f.start, f.end, f.confidence, f.placement, (int)f.excerpt_len, f.excerpt ? f.excerpt : "");
  }
}

/* Scans one file; returns 0 on success, 1 if it could not be read or scanned. */
static int scan_file(const kimitsu_policy *policy, const char *path) {
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  kimitsu_result *result = NULL;
  kimitsu_status status;
  size_t len = 0;
  char *data = read_file(path, &len);

  if (data == NULL) {
    fprintf(stderr, "kimitsu_scan: %s: %s\n", path, strerror(errno));
    return 1;
  }
  options.flags = KIMITSU_SCAN_EXCERPTS; /* masked: reports must not leak */
  status = kimitsu_scan(policy, data, len, &options, &result);
  free(data);
  if (status != KIMITSU_OK) {
    fprintf(stderr, "kimitsu_scan: %s: %s\n", path, kimitsu_status_string(status));
    return 1;
  }
  print_result(path, result);
  kimitsu_result_free(result);
  return 0;
}

int main(int argc, char **argv) {
  const char *policy_path = NULL;
  kimitsu_policy *policy = NULL;
  kimitsu_error *error = NULL;
  kimitsu_status status;
  int i = 1, failed = 0;

  if (i + 1 < argc && strcmp(argv[i], "--policy") == 0) {
    policy_path = argv[i + 1];
    i += 2;
  }
  if (i >= argc || strncmp(argv[i], "--", 2) == 0) {
    fprintf(stderr, "usage: kimitsu_scan [--policy FILE] FILE...\n");
    return 2;
  }

  if (policy_path != NULL) {
    status = kimitsu_policy_load_file(policy_path, &policy, &error);
  } else {
    status = kimitsu_policy_default(&policy);
  }
  if (status != KIMITSU_OK) {
    /* The message reads "FILE:LINE:COLUMN: rule 'id': what"; an editor
     * integration would use kimitsu_error_line() and _column() instead. */
    fprintf(stderr, "kimitsu_scan: %s\n",
            error != NULL ? kimitsu_error_message(error) : kimitsu_status_string(status));
    kimitsu_error_free(error);
    return 2;
  }

  for (; i < argc; i++) failed |= scan_file(policy, argv[i]);

  kimitsu_policy_free(policy);
  return failed ? 1 : 0;
}
