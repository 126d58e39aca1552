import type { StorageAdapter } from "grammy";
import type { Db } from "@xieshui/core/server";

/**
 * grammY storage over the BotSession table (JSON values), so sessions and conversations survive
 * restarts and are shared by every bot instance. `prefix` keeps sessions and conversations apart.
 */
export function createPrismaStorage<T>(db: Db, prefix: string): StorageAdapter<T> {
  const table = db.prisma.botSession;
  return {
    async read(key) {
      const row = await table.findUnique({ where: { key: prefix + key } });
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as T;
      } catch {
        return undefined;
      }
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      await table.upsert({ where: { key: prefix + key }, create: { key: prefix + key, value: json }, update: { value: json } });
    },
    async delete(key) {
      await table.deleteMany({ where: { key: prefix + key } });
    },
  };
}
