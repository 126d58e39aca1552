/** Clearance import: who may import, one import at a time, long rejection lists (zh-CN). */
export const clearanceImport = {
  "clearance-import-real-role": "只有税务人员可以正式导入完税凭证数据；协调员和管理员可以先试导入（只检查，不写入）",
  "clearance-import-role": "只有税务人员、协调员和管理员可以导入或试导入完税凭证数据",
  "clearance-import-busy": "另一次完税凭证导入正在进行（{ $since } 开始）：请等它结束后再试",
  "clearance-import-lease-lost": "导入被中断：本次导入停顿太久，导入权已交给另一次导入",
  "clearance-import-interrupted": "导入中途停止（处理导入的程序意外退出）：已保存 { $imported } 条新记录、更新 { $updated } 条记录（按这次导入写入的记录清点）；被拒收的行数无法得知。请重新导入同一文件：已导入的行只会更新，不会重复。",
  "app-import-more-truncated": "共有 { $total } 行被拒收，这里只列出前 { $count } 行：请修正后重新试导入。",
} as const;
