// Dates as GOV.UK writes them: 3 June 2027, in English or Welsh.

export function formatDate(iso: string | null | undefined, lang = 'en'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(d);
}

export function formatDateTime(iso: string | null | undefined, lang = 'en'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'Europe/London',
  }).format(d);
}

/** Day, month and year fields → `YYYY-MM-DD`, or null when they are not a real date. */
export function dateFromParts(day: string, month: string, year: string): string | null {
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y)) return null;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` and `HH:MM` (London time) → an RFC 3339 instant, or null. */
export function instantFromLocal(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  // London is UTC+0 or +1; find the offset that maps back to the same wall time.
  for (const offset of ['+00:00', '+01:00']) {
    const d = new Date(`${date}T${time}:00${offset}`);
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(d);
    const get = (t: string) => wall.find((p) => p.type === t)?.value;
    if (`${get('year')}-${get('month')}-${get('day')}` === date && `${get('hour')}:${get('minute')}` === time) {
      return d.toISOString();
    }
  }
  return null;
}

/** An RFC 3339 instant → London date `YYYY-MM-DD` and time `HH:MM`, for form fields. */
export function localFromInstant(iso: string | null | undefined): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** London wall-clock parts of an instant. */
function londonParts(d: Date, lang: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', {
    timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/**
 * A time as GOV.UK writes it: 5pm, 5:30pm, 9am, midday, midnight (in
 * Welsh: 5pm, hanner dydd, hanner nos).
 */
export function formatTime(iso: string | null | undefined, lang = 'en'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = londonParts(d, 'en');
  const hour = Number(p.hour);
  const minute = Number(p.minute);
  if (minute === 0 && hour === 12) return lang === 'cy' ? 'hanner dydd' : 'midday';
  if (minute === 0 && hour === 0) return lang === 'cy' ? 'hanner nos' : 'midnight';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${h12}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
}

/** The day of the week (Friday, Gwener: Welsh without its “Dydd”), and the date (12 December 2025). */
export function dayAndDate(iso: string | null | undefined, lang = 'en'): { weekday: string; date: string } {
  if (!iso) return { weekday: '', date: '' };
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { weekday: '', date: '' };
  const p = londonParts(d, lang);
  const weekday = (p.weekday ?? '').replace(/^Dydd\s+/i, '');
  return { weekday, date: `${p.day} ${p.month} ${p.year}` };
}

/** A London calendar day as a number of days since 1970, for counting whole days between two instants. */
function londonDay(d: Date): number {
  const p = londonParts(d, 'en');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return Math.round(Date.UTC(Number(p.year), months.indexOf(p.month ?? ''), Number(p.day)) / 86_400_000);
}

/**
 * Whole London days from `now` to `iso`: 0 when it is today, 1 tomorrow;
 * negative once that day has gone; null without a date.
 */
export function daysUntil(iso: string | null | undefined, now: Date = new Date()): number | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return londonDay(d) - londonDay(now);
}
