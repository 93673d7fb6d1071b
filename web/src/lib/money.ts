// Money is integer pence, as in the API. People type pounds.

/** `4,500` or `£4500.50` → 450050 pence, or null when it is not an amount. */
export function parsePounds(input: string): number | null {
  const s = input.trim().replace(/^£/, '').replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [whole = '0', frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const FORMATS = new Map<string, Intl.NumberFormat>();

/** 450050 → `£4,500.50`; whole pounds drop the pence: 450000 → `£4,500`. */
export function formatPence(pence: number, lang = 'en'): string {
  const whole = pence % 100 === 0;
  const key = `${lang}-${whole}`;
  let f = FORMATS.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', {
      style: 'currency',
      currency: 'GBP',
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: 2,
    });
    FORMATS.set(key, f);
  }
  return f.format(pence / 100);
}

/** Pence as the text a form field shows: 450050 → `4500.50`. */
export function penceToInput(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}
