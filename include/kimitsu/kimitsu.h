/*
 * kimitsu.h — the stable C API of kimitsu, a document sensitivity classifier.
 *
 * Conventions (after libgit2, zstd, Hyperscan and SQLite):
 *   - Every function that can fail returns a kimitsu_status: KIMITSU_OK (0)
 *     or a negative code; kimitsu_status_string() names it. Outputs go
 *     through `out` pointers, which are left untouched (or set to NULL for
 *     handles) on failure.
 *   - Handles are opaque. Whoever receives a handle owns it and releases it
 *     with the matching _free function; every _free accepts NULL.
 *   - Structs the caller fills or receives start with `struct_size`: set it
 *     with the _INIT macro or the _init() function (for FFI, which cannot
 *     use macros). A struct from an older header is accepted; fields added
 *     later keep their defaults.
 *   - Strings are UTF-8 and NUL-terminated; strings returned by kimitsu are
 *     owned by the handle they came from and live as long as it does.
 *   - Sizes and offsets are 64-bit; offsets are byte offsets into the
 *     caller's original input, whatever its encoding.
 *   - No C++ exception ever crosses this API.
 *
 * Threads: a compiled kimitsu_policy is immutable and may be used by any
 * number of threads at once. A kimitsu_scanner, kimitsu_stream or
 * kimitsu_result belongs to one thread at a time.
 *
 * The declarations between KIMITSU_CDEF_BEGIN and KIMITSU_CDEF_END are plain
 * C that cffi's cdef() reads as they stand (the Python bindings do).
 */
#ifndef KIMITSU_KIMITSU_H_
#define KIMITSU_KIMITSU_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* KIMITSU_CDEF_BEGIN */

#define KIMITSU_VERSION_MAJOR 0
#define KIMITSU_VERSION_MINOR 2
#define KIMITSU_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH */
#define KIMITSU_VERSION_NUMBER 200

typedef enum kimitsu_status {
  KIMITSU_OK = 0,
  KIMITSU_E_INVALID_ARGUMENT = -1, /* a NULL where a value is needed, a bad value */
  KIMITSU_E_STRUCT_SIZE = -2,      /* struct_size is 0 or smaller than any version */
  KIMITSU_E_NO_MEMORY = -3,        /* an allocation failed */
  KIMITSU_E_POLICY = -4,           /* the policy does not compile: see the error object */
  KIMITSU_E_IO = -5,               /* a file could not be read */
  KIMITSU_E_OUT_OF_RANGE = -6,     /* an index past the end */
  KIMITSU_E_STATE = -7,            /* a call out of order (writing to a finished stream) */
  KIMITSU_E_ENCODING = -8,         /* an encoding name kimitsu does not know */
  KIMITSU_E_INTERNAL = -9          /* an unexpected failure inside kimitsu */
} kimitsu_status;

typedef struct kimitsu_policy kimitsu_policy;
typedef struct kimitsu_result kimitsu_result;
typedef struct kimitsu_error kimitsu_error;
typedef struct kimitsu_scanner kimitsu_scanner;
typedef struct kimitsu_stream kimitsu_stream;

/* ---- version and status ------------------------------------------------ */

/* "MAJOR.MINOR.PATCH" of the library actually linked (static string). */
const char *kimitsu_version(void);
/* KIMITSU_VERSION_NUMBER of the library actually linked. */
unsigned kimitsu_version_number(void);
/* A static English description of a status ("ok", "invalid argument", ...). */
const char *kimitsu_status_string(kimitsu_status status);

/* ---- policies ------------------------------------------------------------ */

/* The built-in default policy. *out receives a new handle the caller owns. */
kimitsu_status kimitsu_policy_default(kimitsu_policy **out);

/* Compiles policy text (YAML or JSON) of `len` bytes. On KIMITSU_E_POLICY,
 * and if `error` is not NULL, *error receives an error object the caller
 * owns (free with kimitsu_error_free) saying where and why. */
kimitsu_status kimitsu_policy_compile(const char *text, size_t len, kimitsu_policy **out,
                                      kimitsu_error **error);

/* Reads and compiles the policy file at `path`. KIMITSU_E_IO (with an error
 * object) when the file cannot be read. */
kimitsu_status kimitsu_policy_load_file(const char *path, kimitsu_policy **out, kimitsu_error **error);

/* Limits and memory budgets for compiling a policy, so that a hostile or
 * careless policy fails to compile with a clear error (naming the limit and
 * the rule) instead of exhausting the machine. A field left 0 keeps its
 * default; the defaults are the limits kimitsu_policy_compile applies.
 *
 *   field                    default     what
 *   prefilter_max_mem        64 MiB      RE2 memory budget of the prefilter (one RE2::Set over
 *                                        every rule): its program, and the DFA cache that every
 *                                        scan with the policy shares. Too small: a compile error,
 *                                        or, at scan time, KIMITSU_RESULT_ENGINE_LIMIT (every rule
 *                                        then runs: slower, never less found)
 *   rule_max_mem             8 MiB       RE2 memory budget of each rule's own regex (and of each
 *                                        context word list): "pattern too large for the memory
 *                                        budget" names the rule, line and column
 *   max_rules                20,000      rules in the policy
 *   max_keywords_per_rule    200,000     keywords (or context words) in one rule
 *   max_keywords_total       500,000     keywords in the whole policy
 *   max_pattern_bytes        1 MiB       one regex, or one rule's keywords joined
 *   max_policy_bytes         64 MiB      the policy text
 *   max_compiled_bytes       256 MiB     the rules' compiled programs together (RE2 program
 *                                        sizes); the error names the rule that crossed it
 *
 * The budgets are properties of the compiled policy, not of one scan: RE2
 * shares its DFA caches between the threads that scan with the policy, so
 * a policy's memory is bounded by prefilter_max_mem + rules x rule_max_mem. */
typedef struct kimitsu_policy_options {
  size_t struct_size;
  uint64_t prefilter_max_mem;
  uint64_t rule_max_mem;
  size_t max_rules;
  size_t max_keywords_per_rule;
  size_t max_keywords_total;
  size_t max_pattern_bytes;
  uint64_t max_policy_bytes;
  uint64_t max_compiled_bytes;
} kimitsu_policy_options;

kimitsu_status kimitsu_policy_options_init(kimitsu_policy_options *options, size_t struct_size);

/* kimitsu_policy_compile and kimitsu_policy_load_file with limits and
 * budgets (`options` NULL: the defaults). KIMITSU_E_INVALID_ARGUMENT for a
 * budget above INT64_MAX. */
kimitsu_status kimitsu_policy_compile_v2(const char *text, size_t len, const kimitsu_policy_options *options,
                                         kimitsu_policy **out, kimitsu_error **error);
kimitsu_status kimitsu_policy_load_file_v2(const char *path, const kimitsu_policy_options *options,
                                           kimitsu_policy **out, kimitsu_error **error);

/* Releases the caller's reference. Results made with the policy stay valid:
 * they keep what they need alive. NULL is accepted. */
void kimitsu_policy_free(kimitsu_policy *policy);

typedef struct kimitsu_tier_info {
  size_t struct_size;
  const char *id;          /* owned by the policy */
  const char *label;
  const char *description;
  double threshold;
  int is_default;          /* 1 for the default tier */
} kimitsu_tier_info;

typedef struct kimitsu_rule_info {
  size_t struct_size;
  const char *id;          /* owned by the policy */
  const char *tier;
  const char *entity;      /* "" when the rule declares none */
  const char *description;
  double confidence;
  size_t tier_index;
} kimitsu_rule_info;

/* Tiers in order, highest first; the default tier is last. */
size_t kimitsu_policy_tier_count(const kimitsu_policy *policy);
kimitsu_status kimitsu_tier_info_init(kimitsu_tier_info *info, size_t struct_size);
kimitsu_status kimitsu_policy_tier(const kimitsu_policy *policy, size_t index, kimitsu_tier_info *out);

size_t kimitsu_policy_rule_count(const kimitsu_policy *policy);
kimitsu_status kimitsu_rule_info_init(kimitsu_rule_info *info, size_t struct_size);
kimitsu_status kimitsu_policy_rule(const kimitsu_policy *policy, size_t index, kimitsu_rule_info *out);

/* ---- policy errors ------------------------------------------------------- */

/* The whole message, "source:line:column: rule 'id': what". */
const char *kimitsu_error_message(const kimitsu_error *error);
/* 1-based line and column in the policy text; 0 when unknown. */
int kimitsu_error_line(const kimitsu_error *error);
int kimitsu_error_column(const kimitsu_error *error);
/* The rule concerned, or "" when none. */
const char *kimitsu_error_rule(const kimitsu_error *error);
void kimitsu_error_free(kimitsu_error *error);

/* ---- scanning ------------------------------------------------------------ */

/* kimitsu_scan_options.flags */
#define KIMITSU_SCAN_EXCERPTS 1  /* keep an excerpt of each finding (masked) */
#define KIMITSU_SCAN_UNMASKED 2  /* with EXCERPTS: show matched text as is */
/* Also report the findings of rules short of their min_count (e.g. one
 * e-mail address where the rule needs five to count): every entity
 * recognized, for redaction or entity-level reporting. They do not change
 * the scores; kimitsu_result_rule() gives their rule a score of 0. */
#define KIMITSU_SCAN_ALL_MATCHES 4

typedef struct kimitsu_scan_options {
  size_t struct_size;
  uint32_t flags;            /* KIMITSU_SCAN_* */
  size_t max_findings;       /* findings kept per result; 0: 1000. Counting continues past it. */
  uint64_t max_input_bytes;  /* larger one-shot inputs are not scanned (flagged); 0: 2 GiB */
  const char *encoding;      /* NULL: detect; else e.g. "Shift_JIS", "EUC-JP", "UTF-16LE" */
  size_t max_excerpt_bytes;  /* with EXCERPTS: bytes of each excerpt kept (cut at a character
                                boundary, then U+2026 "..."); 0: 160. A struct_size from before
                                this field keeps 160 */
} kimitsu_scan_options;

kimitsu_status kimitsu_scan_options_init(kimitsu_scan_options *options, size_t struct_size);

/* Scans `len` bytes with `policy`. *out receives a new result the caller
 * owns. `options` may be NULL for the defaults. `data` may be NULL when
 * len is 0. Thread-safe: any number of threads may scan with one policy. */
kimitsu_status kimitsu_scan(const kimitsu_policy *policy, const void *data, size_t len,
                            const kimitsu_scan_options *options, kimitsu_result **out);

/* A scanner keeps per-thread buffers between scans, so that repeated scans
 * reuse memory. Use one per thread. */
kimitsu_status kimitsu_scanner_new(kimitsu_scanner **out);
void kimitsu_scanner_free(kimitsu_scanner *scanner);

/* Like kimitsu_scan, with the scanner's buffers. *out receives a result
 * OWNED BY THE SCANNER (do not free it), valid until the scanner's next
 * scan or its release. Buffers are reused from scan to scan: in steady
 * state a scan allocates nothing where no rule can match or only the
 * policy's few broad rules can (those that fire in ordinary text, such as
 * long numbers: the clean benchmark documents allocate nothing). Where
 * another rule can, RE2::Set's match set costs 3 small blocks per 4 KiB of
 * text, and each candidate of a rule whose reported group needs RE2's
 * submatch engine (not `\b(...)\b` or `(?:^|[...])(...)`) a few more, even
 * if the candidate is then dropped. Findings and excerpts grow buffers that
 * are kept. */
kimitsu_status kimitsu_scanner_scan(kimitsu_scanner *scanner, const kimitsu_policy *policy,
                                    const void *data, size_t len, const kimitsu_scan_options *options,
                                    const kimitsu_result **out);

/* ---- streams ------------------------------------------------------------- */

/* A stream scans an input given in pieces — a file larger than memory, a
 * message as it arrives — in memory bounded by the policy, not the input.
 * The result is the one kimitsu_scan gives for the concatenation of the
 * pieces, however they are cut. (Both find every match of a rule as one
 * search of the whole text would, up to a length of 16 KiB; a longer match
 * may be cut or missed, and then KIMITSU_RESULT_LONG_MATCH is set.)
 * max_input_bytes does not apply. The stream keeps the policy alive. */
kimitsu_status kimitsu_stream_open(const kimitsu_policy *policy, const kimitsu_scan_options *options,
                                   kimitsu_stream **out);
/* The next `len` bytes. KIMITSU_E_STATE after kimitsu_stream_finish. */
kimitsu_status kimitsu_stream_write(kimitsu_stream *stream, const void *data, size_t len);
/* Ends the input. *out receives a new result the caller owns. A stream is
 * finished once: after that, write and finish return KIMITSU_E_STATE. */
kimitsu_status kimitsu_stream_finish(kimitsu_stream *stream, kimitsu_result **out);
void kimitsu_stream_free(kimitsu_stream *stream);

/* ---- results ------------------------------------------------------------- */

/* kimitsu_result_flags(): every bound hit is visible here. */
#define KIMITSU_RESULT_FINDINGS_TRUNCATED 1 /* more findings than max_findings; scores count all */
#define KIMITSU_RESULT_LOSSY_DECODE 2       /* invalid byte sequences were replaced */
#define KIMITSU_RESULT_BINARY 4             /* the input looks like binary data: only its text runs count (README) */
#define KIMITSU_RESULT_ENGINE_LIMIT 8       /* the prefilter ran out of memory; every rule ran instead */
#define KIMITSU_RESULT_INPUT_TOO_LARGE 16   /* larger than max_input_bytes: not scanned */
#define KIMITSU_RESULT_INCOMPLETE 32        /* some input was not examined: the tier may be too low */
#define KIMITSU_RESULT_EXCERPTS_TRUNCATED 64 /* an excerpt was cut at max_excerpt_bytes (the tier is not affected) */
#define KIMITSU_RESULT_LONG_MATCH 128       /* a match reached the 16 KiB match limit and was cut (+ INCOMPLETE) */

typedef struct kimitsu_finding {
  size_t struct_size;
  const char *rule;        /* rule id, owned by the result */
  const char *tier;        /* the tier the rule is evidence for */
  const char *entity;      /* e.g. "CREDIT_CARD"; "" when the rule declares none */
  uint64_t start;          /* byte offsets into the caller's input: [start, end) */
  uint64_t end;
  double confidence;       /* after placement and context, in [0, 1] */
  const char *placement;   /* "line", "header", "footer", "line_start" or "prose" */
  const char *excerpt;     /* with KIMITSU_SCAN_EXCERPTS: the matched text as UTF-8 after NFKC
                              normalization, masked unless UNMASKED; else NULL */
  size_t excerpt_len;
  size_t rule_index;
  size_t tier_index;
  uint64_t line;           /* 1-based line of `start` (lines end at '\n') */
  double base_confidence;  /* the rule's confidence times the placement factor */
  double context_delta;    /* what context words added (or, negative, took away) */
} kimitsu_finding;

/* The decided tier's id (owned by the result). */
const char *kimitsu_result_tier(const kimitsu_result *result);
size_t kimitsu_result_tier_index(const kimitsu_result *result);
/* The decided tier's score in [0, 1]; for the default tier, 1 - the
 * highest score of any other tier. */
double kimitsu_result_score(const kimitsu_result *result);
/* The score of tier `index` (0 = highest). */
kimitsu_status kimitsu_result_tier_score(const kimitsu_result *result, size_t index, double *out);
/* Findings kept (at most max_findings), in input order. */
size_t kimitsu_result_finding_count(const kimitsu_result *result);
/* Findings counted, including those past max_findings. */
uint64_t kimitsu_result_total_findings(const kimitsu_result *result);
kimitsu_status kimitsu_finding_init(kimitsu_finding *finding, size_t struct_size);
kimitsu_status kimitsu_result_finding(const kimitsu_result *result, size_t index, kimitsu_finding *out);
/* The evidence of rule `index`: how many candidates it found and the rule's
 * score. A rule with fewer candidates than its min_count scores 0: its
 * candidates are counted here but are not findings (not in the list, not in
 * kimitsu_result_total_findings) unless the scan had KIMITSU_SCAN_ALL_MATCHES. */
kimitsu_status kimitsu_result_rule(const kimitsu_result *result, size_t index, uint64_t *count,
                                   double *score);
/* The detected (or forced) encoding: "UTF-8", "Shift_JIS", ..., "binary". */
const char *kimitsu_result_encoding(const kimitsu_result *result);
uint32_t kimitsu_result_flags(const kimitsu_result *result);
uint64_t kimitsu_result_input_bytes(const kimitsu_result *result);
/* Releases a result from kimitsu_scan or kimitsu_stream_finish. NULL is accepted. */
void kimitsu_result_free(kimitsu_result *result);

/* KIMITSU_CDEF_END */

/* Initializers for C callers; FFI callers use the _init() functions. */
#define KIMITSU_SCAN_OPTIONS_INIT {sizeof(kimitsu_scan_options), 0, 0, 0, NULL, 0}
#define KIMITSU_POLICY_OPTIONS_INIT {sizeof(kimitsu_policy_options), 0, 0, 0, 0, 0, 0, 0, 0}
#define KIMITSU_FINDING_INIT {sizeof(kimitsu_finding), NULL, NULL, NULL, 0, 0, 0.0, NULL, NULL, 0, 0, 0, 0, 0.0, 0.0}
#define KIMITSU_TIER_INFO_INIT {sizeof(kimitsu_tier_info), NULL, NULL, NULL, 0.0, 0}
#define KIMITSU_RULE_INFO_INIT {sizeof(kimitsu_rule_info), NULL, NULL, NULL, NULL, 0.0, 0}

#ifdef __cplusplus
}
#endif

#endif /* KIMITSU_KIMITSU_H_ */
