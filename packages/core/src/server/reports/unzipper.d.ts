// The part of unzipper 0.10 (exceljs's own zip reader, pinned) that feed-file.ts uses; the package ships no types.
declare module "unzipper" {
  import type { Readable } from "node:stream";

  interface CentralDirectoryFile {
    path: string;
    type: "File" | "Directory";
    uncompressedSize: number;
    /** The part's bytes, inflated as they are read. */
    stream(password?: string): Readable;
  }
  interface CentralDirectory {
    files: CentralDirectoryFile[];
  }
  const unzipper: {
    Open: { buffer(buffer: Buffer): Promise<CentralDirectory> };
  };
  export default unzipper;
}
