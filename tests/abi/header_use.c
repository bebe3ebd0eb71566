/* Compiled by header_c99 as C99 and as C++11, with -pedantic -Werror: the
 * public header and its _INIT macros must be clean in both. */
#include "kimitsu/kimitsu.h"

int kimitsu_header_use(void);

int kimitsu_header_use(void) {
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  kimitsu_finding finding = KIMITSU_FINDING_INIT;
  kimitsu_tier_info tier = KIMITSU_TIER_INFO_INIT;
  kimitsu_rule_info rule = KIMITSU_RULE_INFO_INIT;
  kimitsu_policy_options policy_options = KIMITSU_POLICY_OPTIONS_INIT;
  kimitsu_status status = KIMITSU_OK;
  options.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  return (int)(options.struct_size + finding.struct_size + tier.struct_size + rule.struct_size +
               policy_options.struct_size) +
         (int)status + KIMITSU_VERSION_NUMBER + KIMITSU_RESULT_INCOMPLETE + KIMITSU_RESULT_EXCERPTS_TRUNCATED;
}
