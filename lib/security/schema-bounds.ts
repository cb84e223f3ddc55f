// Walks a zod schema and lists every input it accepts without a bound: a number or date without
// both a minimum and a maximum (an int past int4/int8 or a year −270000 reaches PostgreSQL and
// fails there with a 500), a string or array without a maximum length, a transform whose result
// is not piped into a checked schema, and any/unknown. The security suite runs it over every API
// route's params, query and body schemas (schema-bounds.test.ts), so a route added later is held
// to the same rule without a hand-kept list.

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; format?: string } } }[];
  format?: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  options?: Schema[];
  element?: Schema;
  items?: Schema[];
  rest?: Schema | null;
  keyType?: Schema;
  valueType?: Schema;
  getter?: () => Schema;
}
interface Schema {
  _zod: { def: Def };
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"]);
const CLOSED = new Set(["enum", "literal", "boolean", "null", "undefined", "void", "never", "nan"]);

function checksOf(def: Def): Set<string> {
  return new Set((def.checks ?? []).map((c) => c._zod.def.check));
}

/** Problems found in `schema`, each as "path: what is unbounded". */
export function unboundedInputs(schema: unknown, path = "", depth = 0): string[] {
  const def = (schema as Schema | undefined)?._zod?.def;
  const at = path || "(root)";
  if (!def) return [`${at}: not a zod schema`];
  if (depth > 24) return [];
  const walk = (s: Schema | undefined | null, sub: string) => (s ? unboundedInputs(s, sub, depth + 1) : []);
  const checks = checksOf(def);
  switch (def.type) {
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([k, v]) => walk(v, path ? `${path}.${k}` : k));
    case "number":
    case "bigint":
    case "date":
      return checks.has("greater_than") && checks.has("less_than") ? [] : [`${at}: ${def.type} without both a minimum and a maximum`];
    case "string":
      return checks.has("max_length") || checks.has("length_equals") || checks.has("string_format") || def.format ? [] : [`${at}: string without a maximum length`];
    case "array":
      return [...(checks.has("max_length") || checks.has("length_equals") ? [] : [`${at}: array without a maximum length`]), ...walk(def.element, `${at}[]`)];
    case "tuple":
      return [...(def.items ?? []).flatMap((s, i) => walk(s, `${at}[${i}]`)), ...(def.rest ? [`${at}: tuple with a rest element`] : [])];
    case "union":
      return (def.options ?? []).flatMap((s) => walk(s, path));
    case "pipe":
      // What reaches the handler is the output side's: `a.transform(f).pipe(b)` is pipe(pipe(a,
      // transform), b), and b checks f's result. A pipe ending in a transform checks nothing after it.
      if (def.out?._zod.def.type === "transform") return [`${at}: ends in a transform (pipe its result into a bounded schema)`];
      return walk(def.out, path);
    case "transform":
      return [];
    case "record":
      return [`${at}: record (unbounded keys)`];
    case "lazy":
      return walk(def.getter?.(), path);
    case "any":
    case "unknown":
      return [`${at}: ${def.type} (not validated)`];
    default:
      if (WRAPPERS.has(def.type)) return walk(def.innerType, path);
      if (CLOSED.has(def.type)) return [];
      return [`${at}: unrecognised schema type ${def.type}`];
  }
}
