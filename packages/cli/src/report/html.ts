// Text into the report's HTML.
import { escapeXml } from './svg.ts';

export const esc = (v: unknown) => escapeXml(String(v));

/** A "no data" note in place of a chart, table or image. */
export const empty = (what: string) => `<p class="empty">No data: ${esc(what)}</p>`;
