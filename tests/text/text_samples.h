// Sample texts for the text-layer tests: realistic Japanese business prose
// (every character in JIS X 0208, so Shift_JIS, EUC-JP and ISO-2022-JP all
// carry it), English, and Latin text for windows-1252.
#ifndef KIMITSU_TESTS_TEXT_TEXT_SAMPLES_H_
#define KIMITSU_TESTS_TEXT_TEXT_SAMPLES_H_

namespace kimitsu::text::test_util {

inline constexpr const char* kJapaneseParagraphs[] = {
    "【社外秘】本資料は取扱注意です。特定秘密の保護に関する法律に基づき、関係者以外への開示を禁止します。\n"
    "株式会社サンプル　情報セキュリティ部\n"
    "第３四半期の売上見込みは前年同期比１２％増となる見通しです。ご不明な点は担当者までお問い合わせください。\n",

    "取扱注意\n\n各位\n\n"
    "平素より大変お世話になっております。本件は社外秘の扱いとし、関係部署以外への転送はご遠慮ください。\n"
    "添付の見積書（第２版）をご確認のうえ、今月末までにご回答いただけますようお願い申し上げます。\n以上\n",

    "特定秘密の指定について\n"
    "行政機関の長は、当該行政機関の所掌事務に係る別表に掲げる事項に関する情報であって、公になっていないもののうち、"
    "その漏えいが我が国の安全保障に著しい支障を与えるおそれがあるため、特に秘匿することが必要であるものを特定秘密として指定するものとする。\n",

    "Project KIMITSU 進捗報告（2024年度 第2四半期）\n"
    "・顧客データベースの移行は予定通り完了しました。\n"
    "・Confidential: 契約書ドラフトは法務部の確認待ちです。\n"
    "・次回会議：10月15日（火）14:00より 本社3F会議室\n",

    "セキュリティポリシーの改定に伴い、パスワードの有効期限を９０日に変更します。"
    "システム管理者より各ユーザーへメールで通知します。社外秘の資料は共有フォルダに保存しないでください。"
    "ご協力をお願いいたします。\n",
};

inline constexpr const char* kEnglish =
    "CONFIDENTIAL - Quarterly report: revenue grew 12% (see note 3.1). Don't forward; "
    "it's for internal use only. Contact O'Neil at ops@example.com or https://example.com/a?b=1.\n";

inline constexpr const char* kLatin =
    "Café résumé — “confidential” naïve façade, €100 and ½ price; Straße, Ørsted, œuvre… "
    "Le présent document est réservé à un usage interne et ne doit pas être diffusé.\n";

// Characters outside the BMP, for the Unicode encodings only.
inline constexpr const char* kSupplementary = "𠮷野家の😀と𝄞、秘 and ok\n";

// Half-width katakana, in Shift_JIS and EUC-JP but not ISO-2022-JP.
inline constexpr const char* kHalfWidthKana = "ｶﾀｶﾅ ｶﾞｲﾄﾞ ﾏﾙﾋ\n";

}  // namespace kimitsu::text::test_util

#endif  // KIMITSU_TESTS_TEXT_TEXT_SAMPLES_H_
