/** The PostgreSQL schema text derived from the models file's text (scripts/prisma-schemas.mjs). */
export function pgSchema(models: string): string;
