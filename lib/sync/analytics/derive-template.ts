/**
 * An endpoint template from an observed request path, for APIs whose definition declares no path
 * that matched: segments that look like ids — numbers, UUIDs, long hex strings, long tokens with
 * digits, prefixed numbers ("ORD-20931") — become `{id}`. Pure; the admin reviews the result.
 */
const ID_SEGMENT = [
  /^\d+$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^[0-9a-f]{12,}$/i,
  /^(?=.*\d)[A-Za-z0-9_.~:-]{16,}$/,
  /^[A-Za-z]{1,10}[-_]\d{3,}$/,
  /^\d[\d.:-]*\d$/,
];

export function deriveTemplate(path: string): string {
  const segments = path.split("?")[0].split("/").filter(Boolean);
  const out = segments.map((s) => (ID_SEGMENT.some((re) => re.test(s)) ? "{id}" : s));
  return `/${out.join("/")}`;
}
