// Plural forms from Intl.PluralRules. Welsh has six (zero, one, two, few,
// many, other); English two. A dictionary entry lists the forms it needs.
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const RULES = new Map<string, Intl.PluralRules>();

export function plural(lang: string, forms: Plural, count: number): string {
  let rules = RULES.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    RULES.set(lang, rules);
  }
  const form = forms[rules.select(count)] ?? forms.other;
  return form.replaceAll('{count}', String(count));
}

/** Puts values into `{name}` placeholders. */
export function fmt(template: string, values: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined || v === null ? whole : String(v);
  });
}
