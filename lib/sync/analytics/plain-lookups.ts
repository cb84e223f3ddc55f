/**
 * What ingest looks up for each plain pump line (plain-line.ts), keyed by the line's bytes: the
 * caller, the (API, method)'s templates, the listen path. Each distinct value is decoded and
 * resolved once, through the same KeyTable, CallerDictionary and EndpointMatcher the string path uses.
 */
import { BytesMap, sameBytes } from "./bytes-map";
import type { CallerDictionary } from "./callers";
import type { KeyTable } from "./key-table";
import type { EndpointMatcher, RouteMatcher } from "./match-endpoint";
import { parseCopyLine } from "./copy-text";
import type { PlainTags } from "./plain-line";
import type { PumpKeys } from "./pump-keys";
import { copyField, storedMethod } from "./transform";

export interface PlainRoute {
  apiId: string;
  /** The method as request_records stores it (storedMethod), as bytes and as text. */
  method: Buffer;
  methodText: string;
  match: RouteMatcher | null;
}

const TAB = 9;

interface ApiRoutes {
  apiId: string;
  /** By the method's bytes as recorded; an API sees a handful. */
  methods: { raw: Buffer; route: PlainRoute }[];
}

export class PlainLookups {
  /** (key value, OAuth client, policies in the row's order) → caller id, and the dictionary generation it holds for. */
  private readonly callerIds = new BytesMap<null>(2);
  private scratch = Buffer.allocUnsafe(256);
  private readonly apis = new BytesMap<ApiRoutes>();
  private readonly listenPaths = new BytesMap<string>();
  private readonly endpointText = new Map<string, Buffer>();

  constructor(
    private readonly matcher: EndpointMatcher,
    private readonly keys: KeyTable,
    private readonly callers: CallerDictionary,
    private readonly pumpKeys: PumpKeys,
  ) {}

  /**
   * The caller id of a row with key value `bytes[keyStart, keyEnd)`, OAuth client
   * `bytes[clientStart, clientEnd)` and the policies `tags` read (identity from the key, as
   * KeyTable has it), or null when ids must be reserved first. One lookup of the three together:
   * a key's rows almost always name the same client and policies. A key met for the first time is
   * learnt from the line's alias, its last field (the line ends at `lineEnd`).
   */
  caller(bytes: Buffer, keyStart: number, keyEnd: number, clientStart: number, clientEnd: number, tags: PlainTags, lineEnd: number): number | null {
    const n = this.callerKey(bytes, keyStart, keyEnd, clientStart, clientEnd, tags);
    const generation = this.callers.generation;
    let e = n === -1 ? -1 : this.callerIds.entry(this.scratch, 0, n);
    if (e !== -1 && this.callerIds.int(e, 1) === generation) return this.callerIds.int(e, 0);
    const key = keyStart < keyEnd ? this.keys.lookup(bytes.toString("latin1", keyStart, keyEnd)) : null;
    if (key && !key.learnt) {
      const alias = parseCopyLine(bytes.toString("utf8", bytes.lastIndexOf(TAB, lineEnd - 1) + 1, lineEnd))[0];
      this.pumpKeys.learn(key, alias, tags.policyIds(bytes));
    }
    const client = clientStart < clientEnd ? bytes.toString("latin1", clientStart, clientEnd) : null;
    const id = this.callers.idForRow(key ? key.keyHash : null, key ? key.identityId : null, client, tags.policyIds(bytes));
    if (id === null) return null;
    if (n !== -1) {
      if (e === -1) e = this.callerIds.set(this.scratch, 0, n, null);
      this.callerIds.setInt(e, 0, id);
      this.callerIds.setInt(e, 1, generation);
    }
    return id;
  }

  /** The caller's cache key in `scratch` (each part length-prefixed); its length, or -1 when a part is too long to prefix. */
  private callerKey(bytes: Buffer, keyStart: number, keyEnd: number, clientStart: number, clientEnd: number, tags: PlainTags): number {
    let size = 4 + keyEnd - keyStart + clientEnd - clientStart;
    for (let p = 0; p < tags.policyCount; p++) size += 2 + tags.policies[2 * p + 1] - tags.policies[2 * p];
    if (size > this.scratch.length) this.scratch = Buffer.allocUnsafe(size * 2);
    let n = this.part(bytes, keyStart, keyEnd, 0);
    if (n !== -1) n = this.part(bytes, clientStart, clientEnd, n);
    for (let p = 0; p < tags.policyCount && n !== -1; p++) n = this.part(bytes, tags.policies[2 * p], tags.policies[2 * p + 1], n);
    return n;
  }

  /** Appends `bytes[start, end)` with its length to `scratch` at `n`; the new length, or -1 when too long. */
  private part(bytes: Buffer, start: number, end: number, n: number): number {
    const len = end - start;
    if (len > 0xffff) return -1;
    const s = this.scratch;
    s[n++] = len >> 8;
    s[n++] = len & 0xff;
    for (let i = start; i < end; i++) s[n++] = bytes[i];
    return n;
  }

  /** The stored method and the templates for API `bytes[apiStart, apiEnd)` and method `bytes[methodStart, methodEnd)`. */
  route(bytes: Buffer, apiStart: number, apiEnd: number, methodStart: number, methodEnd: number): PlainRoute {
    let api = this.apis.get(bytes, apiStart, apiEnd);
    if (!api) {
      api = { apiId: bytes.toString("latin1", apiStart, apiEnd), methods: [] };
      this.apis.set(bytes, apiStart, apiEnd, api);
    }
    for (const m of api.methods) if (sameBytes(m.raw, 0, m.raw.length, bytes, methodStart, methodEnd)) return m.route;
    const raw = bytes.toString("latin1", methodStart, methodEnd);
    const method = storedMethod(raw);
    const route = { apiId: api.apiId, method: Buffer.from(method, "latin1"), methodText: method, match: this.matcher.route(api.apiId, method) };
    api.methods.push({ raw: Buffer.from(raw, "latin1"), route });
    return route;
  }

  /** The listen path `bytes[start, end)`, or null when empty. */
  listenPath(bytes: Buffer, start: number, end: number): string | null {
    if (start === end) return null;
    let text = this.listenPaths.get(bytes, start, end);
    if (text === undefined) {
      text = bytes.toString("latin1", start, end);
      this.listenPaths.set(bytes, start, end, text);
    }
    return text;
  }

  /** An endpoint id as its COPY field. */
  endpoint(id: string): Buffer {
    let text = this.endpointText.get(id);
    if (!text) {
      text = Buffer.from(copyField(id), "utf8");
      this.endpointText.set(id, text);
    }
    return text;
  }
}
