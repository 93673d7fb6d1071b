// Ballot pages only. The form already works without JavaScript: the server
// computes totals and remainders when "Update" is pressed, and ranks are
// chosen with a numbered select per bid. This script shows totals as you
// go, and adds "Move up" and "Move down" buttons that work by keyboard and
// screen reader (never drag alone, WCAG 2.2 SC 2.5.7).

const form = document.querySelector<HTMLFormElement>('form[data-ballot]');

function live(name: string, text: string) {
  const el = form?.querySelector<HTMLElement>(`[data-live="${name}"]`);
  if (el && el.textContent !== text) el.textContent = text;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** A text from a data attribute: a JSON string, or plural forms chosen by Intl.PluralRules. */
function text(attr: string | undefined, count: number, values: Record<string, string | number>): string {
  if (!attr) return '';
  const parsed: unknown = JSON.parse(attr);
  if (typeof parsed === 'string') return fill(parsed, values);
  const forms = parsed as Record<string, string>;
  const form = forms[new Intl.PluralRules(document.documentElement.lang || 'en').select(count)] ?? forms.other ?? '';
  return fill(form, { count, ...values });
}

function money(pence: number, lang: string): string {
  const whole = pence % 100 === 0;
  return new Intl.NumberFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', {
    style: 'currency',
    currency: 'GBP',
    minimumFractionDigits: whole ? 0 : 2,
  }).format(pence / 100);
}

function update() {
  if (!form) return;
  const d = form.dataset;
  const lang = document.documentElement.lang || 'en';
  const kind = d.kind;
  if (kind === 'APPROVAL' || kind === 'KNAPSACK') {
    const checked = [...form.querySelectorAll<HTMLInputElement>('input[name="bid"]:checked')];
    if (d.max) {
      const left = Number(d.max) - checked.length;
      live('picks-left', left > 0 ? text(d.picksLeft, left, {}) : left === 0 ? (d.noPicksLeft ?? '') : text(d.tooMany, checked.length, { max: Number(d.max) }));
      // Too many chosen is an error, shown as one (and read out by the live region).
      form.querySelector('[data-live="picks-left"]')?.classList.toggle('govuk-error-message', left < 0);
    }
    if (kind === 'KNAPSACK') {
      const used = checked.reduce((sum, c) => sum + Number(c.dataset.cost ?? 0), 0);
      const budget = Number(d.budget ?? 0);
      live('total', fill(d.total ?? '', { used: money(used, lang), budget: money(budget, lang), left: money(Math.max(0, budget - used), lang) }));
      live('over', used > budget ? text(d.over, used - budget, { over: money(used - budget, lang) }) : '');
    }
  }
  if (kind === 'POINTS_ALLOCATION' || kind === 'MONEY_ALLOCATION') {
    const isMoney = kind === 'MONEY_ALLOCATION';
    let used = 0;
    for (const input of form.querySelectorAll<HTMLInputElement>('input[data-amount]')) {
      const n = Number(input.value.replace(/[£,]/g, ''));
      if (Number.isFinite(n) && n > 0) used += isMoney ? Math.round(n * 100) : n;
    }
    const budget = Number(d.budget ?? 0);
    const left = budget - used;
    const amount = isMoney ? money(Math.abs(left), lang) : Math.abs(left);
    live('left', text(left >= 0 ? d.left : d.over, Math.abs(left), { left: amount, over: amount }));
  }
}

/** Ranked ballots: the order of the list is the order of preference. */
function setUpRanking(list: HTMLOListElement) {
  const items = () => [...list.querySelectorAll<HTMLLIElement>(':scope > li[data-bid]')];
  const select = (li: HTMLLIElement) => li.querySelector<HTMLSelectElement>('select');
  const ordinal = (n: number) => select(items()[0]!)?.querySelector<HTMLOptionElement>(`option[value="${n}"]`)?.textContent ?? String(n);

  function renumber() {
    let n = 0;
    for (const li of items()) {
      const s = select(li);
      if (s && s.value !== '') s.value = String(++n);
    }
  }

  function sortBySelects() {
    const ranked = items()
      .filter((li) => select(li)?.value)
      .sort((a, b) => Number(select(a)?.value) - Number(select(b)?.value));
    const rest = items().filter((li) => !select(li)?.value);
    for (const li of [...ranked, ...rest]) list.append(li);
  }

  function move(li: HTMLLIElement, by: -1 | 1, button: HTMLButtonElement) {
    const all = items();
    const i = all.indexOf(li);
    const j = i + by;
    if (j < 0 || j >= all.length) return;
    const other = all[j]!;
    if (by < 0) list.insertBefore(li, other);
    else list.insertBefore(other, li);
    // Moving a bid up ranks it, and ranks every bid above it.
    if (by < 0) {
      const upTo = items().indexOf(li);
      items().slice(0, upTo + 1).forEach((x) => {
        const s = select(x);
        // Any real option marks it ranked; renumber() then gives the true place.
        if (s && s.value === '') s.value = String(items().length);
      });
    }
    renumber();
    button.focus();
    const s = select(li);
    const title = li.dataset.title ?? '';
    live('ranking', s?.value ? fill(list.dataset.movedTemplate ?? '', { title, position: ordinal(Number(s.value)) }) : fill(list.dataset.unrankedTemplate ?? '', { title }));
  }

  for (const li of items()) {
    const group = document.createElement('div');
    group.className = 'app-rank-buttons';
    for (const [by, label] of [[-1, list.dataset.upLabel], [1, list.dataset.downLabel]] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2';
      b.textContent = label ?? '';
      const hidden = document.createElement('span');
      hidden.className = 'govuk-visually-hidden';
      hidden.textContent = ` ${li.dataset.title ?? ''}`;
      b.append(hidden);
      b.addEventListener('click', () => move(li, by, b));
      group.append(b);
    }
    li.append(group);
    select(li)?.addEventListener('change', () => {
      sortBySelects();
      renumber();
    });
  }
  sortBySelects();
}

if (form) {
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  const ranking = form.querySelector<HTMLOListElement>('ol[data-ranking]');
  if (ranking) setUpRanking(ranking);
  update();
}
