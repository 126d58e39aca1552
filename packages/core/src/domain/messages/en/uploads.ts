import type { uploads as zh } from "../zh-CN/uploads.ts";

/** Uploads: size and shape caps of feed files, photos and clearance imports (English). */
export const uploads = {
  "upload-too-large": "The file is too large (at most { $mb } MB)",
  "feed-too-many-columns": "A file may have at most { $max } columns; line { $line } has { $found }. Nothing was saved",
  "feed-cell-too-long": "Line { $line } has a cell over { $max } characters. Nothing was saved",
  "feed-line-too-long": "Line { $line } is too long (at most { $max } characters a line). Nothing was saved",
  "feed-xlsx-unpacked-too-large": "The Excel file unpacks to more than { $mb } MB; remove what is not needed or split it",
  "feed-xlsx-too-many-strings": "The Excel file holds more than { $max } text entries; split it",
  "feed-file-too-complex": "The file is too complex to read within { $seconds } seconds and { $mb } MB of memory; split it",
  "feed-period-filed-nil": "Your unit filed “nothing this period” for this period, so data cannot be uploaded; if there is data, ask a tax officer to return that filing first",
  "feed-period-has-data": "Your unit already uploaded data for this period, so “nothing this period” cannot be filed",
  "photo-undecodable": "The photo cannot be read as an image (it may be damaged or not a photo)",
  "photo-too-many-pixels": "The photo has too many pixels (at most { $megapixels } megapixels); make it smaller",
} as const satisfies Record<keyof typeof zh, string>;
