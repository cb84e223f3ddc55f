/**
 * Where the adapter remembers which Lightstep stream answers for a (service, operation), so a
 * stream is created once per installation rather than once per process.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface StreamStore {
  get(service: string, operation: string): Promise<string | null>;
  put(service: string, operation: string, streamId: string): Promise<void>;
}

/**
 * Backed by the trace_streams table. `backend` should name the org and project
 * ("lightstep:acme/prod"): a stream id means nothing in another project.
 */
export function prismaStreamStore(db: PrismaClient, backend: string): StreamStore {
  return {
    async get(service, operation) {
      const row = await db.traceStream.findUnique({ where: { backend_service_operation: { backend, service, operation } } });
      return row?.streamId ?? null;
    },
    async put(service, operation, streamId) {
      await db.traceStream.upsert({
        where: { backend_service_operation: { backend, service, operation } },
        create: { backend, service, operation, streamId },
        update: { streamId },
      });
    },
  };
}

export function memoryStreamStore(): StreamStore {
  const m = new Map<string, string>();
  const k = (s: string, o: string) => JSON.stringify([s, o]);
  return {
    async get(s, o) {
      return m.get(k(s, o)) ?? null;
    },
    async put(s, o, id) {
      m.set(k(s, o), id);
    },
  };
}
