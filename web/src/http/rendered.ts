// Pages kept as rendered, for the visitors who share them: a published
// result is the same for everyone at its validator and address, so it is
// rendered once, and compressed once, not for every visitor.
//
// A results page of a city-wide round is over half a megabyte of HTML (10
// pots of a hundred bids) and about a twelfth of that compressed. Sending
// it compressed is what lets one server answer results day: the bytes, not
// the rendering, were the cost. Compressing is done once per kept page, in
// the background (Node's own zlib), so no request waits for it; until it is
// done the page goes out uncompressed.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const gzipped = promisify(gzip);
const brotlied = promisify(brotliCompress);

/** A page as it was rendered, and compressed once ready. */
export interface RenderedPage {
  html: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** The content codings a kept page can go out in, best first. */
const CODINGS = ['br', 'gzip'] as const;

/** Rendered pages by key, the least recently used going first once there are more than `limit`. */
export class RenderedPages {
  private readonly pages = new Map<string, RenderedPage>();

  constructor(private readonly limit: number) {}

  get(key: string): RenderedPage | undefined {
    const page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  /** Keeps `html` under `key`; its compressed forms follow. Resolves when they are there (for tests). */
  keep(key: string, html: string): Promise<void> {
    const page: RenderedPage = { html: Buffer.from(html, 'utf8') };
    this.pages.delete(key);
    this.pages.set(key, page);
    while (this.pages.size > this.limit) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
    const size = page.html.length;
    return Promise.all([
      brotlied(page.html, {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          // Quality 9 of 11: within a few per cent of the smallest, at a fraction of the time.
          [constants.BROTLI_PARAM_QUALITY]: 9,
          [constants.BROTLI_PARAM_SIZE_HINT]: size,
        },
      }),
      gzipped(page.html, { level: 9 }),
    ]).then(
      ([br, gz]) => {
        page.br = br;
        page.gzip = gz;
      },
      // A page that cannot be compressed still goes out as it is.
      () => undefined,
    );
  }

  get size(): number {
    return this.pages.size;
  }
}

/**
 * Sends a kept page in the best coding the request accepts and the page
 * has ready. The headers set before (Cache-Control, ETag, Last-Modified)
 * stand: the ETag is weak, which allows the same validator for each coding
 * (RFC 9110, 8.8.1). Caches are told the coding depends on Accept-Encoding.
 */
export function sendRendered(req: Request, res: Response, page: RenderedPage) {
  res.vary('Accept-Encoding');
  res.type('html');
  // The smallest the request accepts at all: browsers weigh them equally.
  const coding = CODINGS.find((c) => page[c] !== undefined && req.acceptsEncodings(c) === c);
  const body = coding && page[coding];
  if (coding && body) {
    res.set('Content-Encoding', coding);
    res.send(body);
    return;
  }
  res.send(page.html);
}
