/**
 * `value` for a Prisma `contains` / `startsWith` / `endsWith` filter, matched literally. Prisma
 * passes it into a LIKE pattern as it is, so a user's `%` matched every row, `_` any character,
 * and a trailing `\` made PostgreSQL fail the query (a 500). lib/queries/like.test.ts checks that
 * every such filter in lib/ and app/ goes through here.
 */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
