// Receipt codes as a voter types them: 16 letters and digits in Crockford's
// base 32, in four groups of four (7K3M-9QXD-2RTF-HJ4W). Spaces and dashes
// do not matter, nor does case; O is read as 0, and I and L as 1, as the
// API reads them.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The code in its written form, or null if it cannot be a receipt code. */
export function normaliseReceiptCode(input: string): string | null {
  const cleaned = [...input]
    .filter((c) => !/\s/.test(c) && c !== '-')
    .map((c) => {
      const u = c.toUpperCase();
      if (u === 'O') return '0';
      if (u === 'I' || u === 'L') return '1';
      return u;
    })
    .join('');
  if (cleaned.length !== 16 || ![...cleaned].every((c) => ALPHABET.includes(c))) return null;
  return cleaned.match(/.{4}/g)!.join('-');
}
