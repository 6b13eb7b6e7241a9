// Splits the org report into pages that each fit in one issue body (GitHub allows 65,536 characters; we
// keep to 60,000). Whole blocks move to the next page; a long table continues there with its header
// repeated. Nothing is ever cut off: more pages, never truncation.
import { markdownTable } from "markdown-table";

export const PAGE_LIMIT = 60_000;
/** Room kept on every page for its marker, title line and links to the other pages. */
const PREAMBLE_ROOM = 2_000;

export interface Block {
  heading: string;
  text: string;
  table?: { header: string[]; rows: string[][] };
}

/** The body parts of each page, in order; the first page starts with `head`. */
export function paginate(head: string, blocks: readonly Block[], limit = PAGE_LIMIT): string[] {
  const room = limit - PREAMBLE_ROOM;
  const pages: string[][] = [[head]];
  let size = head.length;
  const add = (part: string) => {
    if (size > 0 && size + part.length + 2 > room) {
      pages.push([]);
      size = 0;
    }
    (pages[pages.length - 1] as string[]).push(part);
    size += part.length + 2;
  };
  for (const block of blocks) {
    const intro = `${block.heading}\n\n${block.text}`;
    if (!block.table || block.table.rows.length === 0) {
      add(intro);
      continue;
    }
    // Rows go in chunks that fit a page: the header is repeated wherever the table continues.
    const { header, rows } = block.table;
    let chunk: string[][] = [];
    let first = true;
    const flush = () => {
      if (chunk.length === 0) return;
      const table = markdownTable([header, ...chunk], { alignDelimiters: false });
      add(first ? `${intro}\n\n${table}` : `${block.heading} (continued)\n\n${table}`);
      first = false;
      chunk = [];
    };
    const headerSize = intro.length + header.join(" | ").length * 2 + 40;
    let chunkSize = headerSize;
    for (const row of rows) {
      const rowSize = row.join(" | ").length + 6;
      if (chunkSize + rowSize > room / 2 && chunk.length > 0) {
        flush();
        chunkSize = headerSize;
      }
      chunk.push(row);
      chunkSize += rowSize;
    }
    flush();
  }
  return pages.map((parts) => parts.join("\n\n"));
}
