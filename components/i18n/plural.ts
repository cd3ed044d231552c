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
  const { rules, numbers } = formattersOf(lang)
  const form = forms[rules.select(count)] ?? forms.other
  return form.replaceAll('#', numbers.format(count))
}

/** Each language's rules and number format, made once: a board counts its three columns on every render. */
const formatters = new Map<string, { rules: Intl.PluralRules; numbers: Intl.NumberFormat }>()

function formattersOf(lang: string): { rules: Intl.PluralRules; numbers: Intl.NumberFormat } {
  let found = formatters.get(lang)
  if (!found) formatters.set(lang, (found = { rules: new Intl.PluralRules(lang), numbers: new Intl.NumberFormat(lang) }))
  return found
}

/** The wording of a count per plural category; `#` stands for the number. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }
