import { describe, expect, it } from "vitest";
import { csvRecords } from "./import-parse.ts";

/** Records (or the error) of `text` fed in chunks of `size` characters. */
async function records(text: string, fast: boolean, size: number): Promise<unknown[]> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  const out: unknown[] = [];
  try {
    for await (const r of csvRecords(chunks(), { fast })) out.push(r);
  } catch (e) {
    out.push({ threw: (e as Error).message });
  }
  return out;
}

describe("csvRecords", () => {
  // The plain-line fast path must give exactly csv-parse's records and line numbers, and hand
  // anything with quotes or odd line breaks to csv-parse from that line on.
  const cases = [
    "a,b,c\n1,2,3\n4,5,6\n",
    "a,b,c\n1,2,3\n4,5,6",
    "a,b\r\n1,2\r\n\r\n3,4\r\n",
    "a,b\r\n1,2\n3,4\r\n5,6\r\n",
    'a,b\n1,"x,y"\n3,4\n',
    'a,b\n1,"x\ny"\n3,4\n',
    'a,b\n1,2\n"TRUNC9,vehicle',
    'a,b\n1,x"y\n3,4\n',
    'a,b\n1,"x"y,5\n3,4\n',
    "\uFEFFa,b\n1,2\n",
    "a,b\n\n\n1,2\n  \n3\n",
    "a,b\n1,2\r3,4\n5,6\n",
    "a\rb\n1\n",
    '"a",b\n1,2\n',
    'a,b\r\n1,"q"\r\n2,3\r\n',
    "a,b\n1,2\n\n",
    "",
    "\n\n",
    "a,b\r\n1,2\r",
    'a,b\n1,2\n3,"4',
    'a,b\n1,"""x"""\n',
  ];
  it.each(cases)("reads %j like csv-parse, in any chunking", async (text) => {
    for (const size of [1, 2, 3, 7, 1000]) expect(await records(text, true, size)).toEqual(await records(text, false, size));
  });
});
