/** Uploads: size and shape caps of feed files, photos and clearance imports (zh-CN). */
export const uploads = {
  "upload-too-large": "上传的文件太大（不能超过 { $mb } MB）",
  "feed-too-many-columns": "文件最多 { $max } 列，第 { $line } 行有 { $found } 列，整个文件未保存",
  "feed-cell-too-long": "第 { $line } 行有单元格超过 { $max } 个字符，整个文件未保存",
  "feed-line-too-long": "第 { $line } 行太长（一行最多 { $max } 个字符），整个文件未保存",
  "feed-xlsx-unpacked-too-large": "Excel 文件解压后超过 { $mb } MB，请删去多余内容或拆分后上传",
  "feed-xlsx-too-many-strings": "Excel 文件里的文字条目超过 { $max } 条，请拆分后上传",
  "feed-file-too-complex": "文件太复杂，无法在 { $seconds } 秒、{ $mb } MB 内存的上限内读完，请拆分后上传",
  "feed-period-filed-nil": "本单位已为这一期报送“本期无”，不能再上传数据；如有数据，请联系税务人员退回“本期无”后再上传",
  "feed-period-has-data": "本单位已上传这一期的数据，不能再报送“本期无”",
  "photo-undecodable": "照片无法识别为图片（文件可能已损坏或不是照片）",
  "photo-too-many-pixels": "照片像素太多（不能超过 { $megapixels } 百万像素），请缩小后再传",
} as const;
