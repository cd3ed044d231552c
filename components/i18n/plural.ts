/**
 * Picks the plural form of `count` for `lang` with `Intl.PluralRules` and puts
 * the count, formatted with `Intl.NumberFormat` in the same language, where
 * the form has `#`. Languages name the forms they have (English `one` and
 * `other`; Arabic also `zero`, `two`, `few` and `many`); `other` is required.
 *
 * @example
 * plural('en', 3, { one: '# task', other: '# tasks' }) // '3 tasks'
 * plural('ar', 2, { two: 'مهمتان', other: '# مهام' }) // 'مهمتان'
 */
export function plural(lang: string, count: number, forms: PluralForms): string {
  const form = forms[new Intl.PluralRules(lang).select(count)] ?? forms.other
  return form.replaceAll('#', new Intl.NumberFormat(lang).format(count))
}

/** The wording of a count per plural category; `#` stands for the number. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }
